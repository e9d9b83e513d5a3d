package dev.wagoexporter.poll;

/**
 * How a meter's read plan differs from its profile's after the meter refused register ranges
 * (exception 02/03): both zero when every register is read in the fewest requests.
 *
 * @param extraRequests read requests a poll sends beyond the profile's plan (remembered splits)
 * @param leftOutRegisters registers of the profile that are not read at all
 * @param pollsUntilRetry polls until the profile's whole plan is tried again; 0 when it is read
 */
public record ReadPlanHealth(int extraRequests, int leftOutRegisters, int pollsUntilRetry) {
  public static final ReadPlanHealth WHOLE = new ReadPlanHealth(0, 0, 0);

  public boolean whole() {
    return extraRequests == 0 && leftOutRegisters == 0;
  }
}
