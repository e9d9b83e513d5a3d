package dev.wagoexporter.sim;

import java.util.Arrays;

/**
 * A second device on the simulated RS485 bus, shaped like the heat pump that shares the user's
 * gateway (an LG Therma V as its controller reads it): coils, discrete inputs, input and holding
 * registers that read back what was last written. Unlike a meter it accepts writes (FC 05, 06, 15,
 * 16); {@link MeterSimulator#writesTo(int)} lists them. Values are raw 16-bit registers;
 * temperatures are in 0.1 °C, signed (two's complement). The setters act as the device itself would
 * (its panel, a sensor changing) and are how tests steer it; {@code simulate} leaves the winter-day
 * values alone. Thread-safe.
 */
public final class SimulatedHeatPump {
  /** Each table's size; a read or write outside it gets exception 02. */
  public static final int TABLE_SIZE = 32;

  /** Coil 0: the heat pump is switched on. */
  public static final int POWER = 0;

  /** Discrete input 1: the water pump runs. */
  public static final int WATER_PUMP_RUNNING = 1;

  /** Discrete input 3: the compressor runs. */
  public static final int COMPRESSOR_RUNNING = 3;

  /** Holding register 0: operating mode (0 cooling, 3 auto, 4 heating). */
  public static final int OPERATING_MODE = 0;

  /** Holding register 1: control method (0 water outlet, 1 water inlet, 2 room air). */
  public static final int CONTROL_METHOD = 1;

  /** Holding register 2: target temperature, 0.1 °C. */
  public static final int TARGET_TEMPERATURE = 2;

  /** Holding register 4: auto-mode offset, K (signed). */
  public static final int AUTO_MODE_OFFSET = 4;

  /** Holding register 9: energy state (SG-ready style, 0..3). */
  public static final int ENERGY_STATE = 9;

  /** Input register 0: error code, 0 = none. */
  public static final int ERROR_CODE = 0;

  /** Input register 1: operation cycle (0 standby, 1 cooling, 2 heating). */
  public static final int CYCLE = 1;

  /** Input register 2: return water temperature, 0.1 °C. */
  public static final int RETURN_TEMPERATURE = 2;

  /** Input register 3: flow water temperature, 0.1 °C. */
  public static final int FLOW_TEMPERATURE = 3;

  /** Input register 8: flow rate, 0.1 l/min. */
  public static final int FLOW_RATE = 8;

  /** Input register 12: outdoor temperature, 0.1 °C. */
  public static final int OUTDOOR_TEMPERATURE = 12;

  /** Input register 13: water pressure, 0.1 bar. */
  public static final int PRESSURE = 13;

  private final int unitId;
  // guarded by this
  private final boolean[] coils = new boolean[TABLE_SIZE];
  private final boolean[] discreteInputs = new boolean[TABLE_SIZE];
  private final int[] inputRegisters = new int[TABLE_SIZE];
  private final int[] holdingRegisters = new int[TABLE_SIZE];

  /** A heat pump heating on a winter day: on, 35 °C flow, 30.5 °C return, -2.5 °C outside. */
  SimulatedHeatPump(int unitId) {
    this.unitId = unitId;
    coils[POWER] = true;
    discreteInputs[WATER_PUMP_RUNNING] = true;
    discreteInputs[COMPRESSOR_RUNNING] = true;
    holdingRegisters[OPERATING_MODE] = 4;
    holdingRegisters[CONTROL_METHOD] = 0;
    holdingRegisters[TARGET_TEMPERATURE] = 350;
    holdingRegisters[AUTO_MODE_OFFSET] = 2;
    holdingRegisters[ENERGY_STATE] = 1;
    inputRegisters[ERROR_CODE] = 0;
    inputRegisters[CYCLE] = 2;
    inputRegisters[RETURN_TEMPERATURE] = 305;
    inputRegisters[FLOW_TEMPERATURE] = 350;
    inputRegisters[FLOW_RATE] = 185;
    inputRegisters[OUTDOOR_TEMPERATURE] = -25 & 0xFFFF;
    inputRegisters[PRESSURE] = 15;
  }

  public int unitId() {
    return unitId;
  }

  public synchronized boolean coil(int address) {
    return coils[checked(address)];
  }

  public synchronized boolean discreteInput(int address) {
    return discreteInputs[checked(address)];
  }

  /** The raw 16-bit input register at {@code address}. */
  public synchronized int inputRegister(int address) {
    return inputRegisters[checked(address)];
  }

  /** The raw 16-bit holding register at {@code address}. */
  public synchronized int holdingRegister(int address) {
    return holdingRegisters[checked(address)];
  }

  /** Sets a coil as the device itself would (not logged as a write). */
  public synchronized void setCoil(int address, boolean on) {
    coils[checked(address)] = on;
  }

  /** Sets a discrete input, e.g. the compressor stopping. */
  public synchronized void setDiscreteInput(int address, boolean on) {
    discreteInputs[checked(address)] = on;
  }

  /** Sets a raw input register, e.g. a new flow temperature. */
  public synchronized void setInputRegister(int address, int raw16) {
    inputRegisters[checked(address)] = checkedValue(raw16);
  }

  /** Sets a raw holding register as the device's own panel would (not logged as a write). */
  public synchronized void setHoldingRegister(int address, int raw16) {
    holdingRegisters[checked(address)] = checkedValue(raw16);
  }

  /** Whether {@code quantity} entries from {@code address} lie inside a table. */
  static boolean covers(int address, int quantity) {
    return address >= 0 && quantity >= 1 && address + quantity <= TABLE_SIZE;
  }

  synchronized boolean[] coils(int address, int quantity) {
    return Arrays.copyOfRange(coils, address, address + quantity);
  }

  synchronized boolean[] discreteInputs(int address, int quantity) {
    return Arrays.copyOfRange(discreteInputs, address, address + quantity);
  }

  synchronized int[] inputRegisters(int address, int quantity) {
    return Arrays.copyOfRange(inputRegisters, address, address + quantity);
  }

  synchronized int[] holdingRegisters(int address, int quantity) {
    return Arrays.copyOfRange(holdingRegisters, address, address + quantity);
  }

  synchronized void writeCoils(int address, boolean[] values) {
    System.arraycopy(values, 0, coils, address, values.length);
  }

  synchronized void writeHoldingRegisters(int address, int[] values) {
    System.arraycopy(values, 0, holdingRegisters, address, values.length);
  }

  private static int checked(int address) {
    if (address < 0 || address >= TABLE_SIZE) {
      throw new IllegalArgumentException(
          "heat pump address must be 0.." + (TABLE_SIZE - 1) + ", was " + address);
    }
    return address;
  }

  private static int checkedValue(int raw16) {
    if (raw16 < 0 || raw16 > 0xFFFF) {
      throw new IllegalArgumentException("register value must be 0..0xFFFF, was " + raw16);
    }
    return raw16;
  }
}
