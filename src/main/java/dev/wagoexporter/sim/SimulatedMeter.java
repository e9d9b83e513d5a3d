package dev.wagoexporter.sim;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated WAGO 879-30xx on the bus: a household's load, its energy counters and the identity
 * block, read as registers at the clock's current instant. Tests pin values with the override
 * methods. Thread-safe.
 */
public final class SimulatedMeter {
  private final int unitId;
  private final SimulatedTime time;
  private final HouseholdLoad load;
  private final EnergyCounters counters;
  private final Map<Integer, Integer> overrides = new ConcurrentHashMap<>();

  SimulatedMeter(int unitId, SimulatedTime time) {
    this.unitId = unitId;
    this.time = time;
    this.load = new HouseholdLoad(unitId);
    this.counters = new EnergyCounters(load, time.zone(), time.start(), unitId);
  }

  public int unitId() {
    return unitId;
  }

  /** The value a read of the float32 at {@code address} returns at this instant. */
  public float floatAt(int address) {
    return imageNow().floatAt(address);
  }

  /** The raw 16-bit register a read of {@code address} returns at this instant. */
  public int registerAt(int address) {
    return imageNow().register(address);
  }

  /**
   * Pins the float32 at {@code address} (two registers), e.g. NaN, 3.67e-27 or a counter that
   * falls.
   */
  public void overrideFloat(int address, float value) {
    requireInMap(address);
    requireInMap(address + 1);
    int bits = Float.floatToRawIntBits(value);
    overrides.put(address, bits >>> 16);
    overrides.put(address + 1, bits & 0xFFFF);
  }

  /** Pins one raw register, e.g. data format 0x4026 = 2 (integer). */
  public void overrideRegister(int address, int raw16) {
    requireInMap(address);
    if (raw16 < 0 || raw16 > 0xFFFF) {
      throw new IllegalArgumentException("register value must be 0..0xFFFF, was " + raw16);
    }
    overrides.put(address, raw16);
  }

  /** Lets every register follow the household model again. */
  public void clearOverrides() {
    overrides.clear();
  }

  /**
   * The whole register image at the clock's current instant: one consistent picture for one
   * request.
   */
  RegisterImage imageNow() {
    Instant now = time.now();
    GridReading grid = load.at(now, time.zone());
    EnergyReading energy = counters.at(now);
    int tariff = HouseholdLoad.tariffAt(now, time.zone());
    return RegisterImage.of(unitId, grid, energy, tariff, new TreeMap<>(overrides));
  }

  private static void requireInMap(int address) {
    if (!WagoRegisterMap.contains(address)) {
      throw new IllegalArgumentException(
          String.format(
              "register 0x%04X is outside the WAGO map (0x4000-0x4033, 0x5000-0x5037, 0x6000-0x6090)",
              address));
    }
  }
}
