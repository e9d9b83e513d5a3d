package dev.wagoexporter.sim;

import static dev.wagoexporter.sim.WagoRegisterMap.*;

import java.util.Map;

/** The WAGO meter's registers at one instant, laid out as the real meter serves them. */
final class RegisterImage {
  static final int SERIAL = 0x22091039;
  static final int METER_CODE_4PS = 0x1112;
  static final int BAUD_CODE_9600 = 6;
  static final int COMBINATION_FORWARD_PLUS_REVERSE = 3;
  static final int PARITY_EVEN = 1;
  static final int DATA_FORMAT_FLOAT = 1;
  private static final int ASCII_F = 'F';

  private final int[] identity = new int[IDENTITY.size()];
  private final int[] instantaneous = new int[INSTANTANEOUS.size()];
  private final int[] energy = new int[ENERGY.size()];

  /**
   * The registers of meter {@code unitId} showing {@code grid} and {@code counters}, with {@code
   * overrides} on top.
   */
  static RegisterImage of(
      int unitId,
      GridReading grid,
      EnergyReading counters,
      int tariff,
      Map<Integer, Integer> overrides) {
    RegisterImage image = new RegisterImage();
    image.writeIdentity(unitId);
    image.writeInstantaneous(grid);
    image.writeEnergy(counters, tariff);
    overrides.forEach(image::set);
    return image;
  }

  int register(int address) {
    for (Block b : BLOCKS) {
      if (b.covers(address, 1)) {
        return array(b)[address - b.first()];
      }
    }
    throw new IllegalArgumentException(
        String.format(
            "register 0x%04X is outside the WAGO map (0x4000-0x4033, 0x5000-0x5037, 0x6000-0x6090)",
            address));
  }

  float floatAt(int address) {
    return Float.intBitsToFloat((register(address) << 16) | register(address + 1));
  }

  /**
   * The big-endian bytes of {@code quantity} registers from {@code address}; the read must lie in
   * one block.
   */
  byte[] read(int address, int quantity) {
    byte[] bytes = new byte[quantity * 2];
    for (int i = 0; i < quantity; i++) {
      int raw = register(address + i);
      bytes[2 * i] = (byte) (raw >>> 8);
      bytes[2 * i + 1] = (byte) raw;
    }
    return bytes;
  }

  private void writeIdentity(int unitId) {
    setUint32(SERIAL_NUMBER, SERIAL);
    set(METER_CODE, METER_CODE_4PS);
    set(MODBUS_ID, unitId);
    set(BAUD_RATE_CODE, BAUD_CODE_9600);
    setFloat(PROTOCOL_VERSION, 3.2);
    setFloat(SOFTWARE_VERSION, 2.18);
    setFloat(HARDWARE_VERSION, 1.32);
    set(METER_AMPS, 65);
    set(0x400C, 0x0001); // CT ratio code of a direct-connected meter
    setFloat(S0_OUTPUT_RATE, 1000.0);
    set(COMBINATION_CODE, COMBINATION_FORWARD_PLUS_REVERSE);
    set(LCD_CYCLE_TIME, 0x0005);
    set(PARITY, PARITY_EVEN);
    for (int p = 0; p < 3; p++) {
      set(CURRENT_DIRECTION_L1 + p, ASCII_F); // no PV: current always flows forward
      set(QUADRANT_TOTAL + 1 + p, 1);
    }
    set(POWER_DOWN_COUNTER, 3);
    set(QUADRANT_TOTAL, 1);
    setUint32(0x401B, 0x5A3C_17E2); // firmware checksum: any fixed value
    setUint32(0x401D, 0);
    set(CT_RATIO, 1);
    set(CT_RATIO + 1, 1);
    set(PULSE_WIDTH, 80);
    set(PULSE_TYPE, 1);
    setUint32(0x4023, 0x0000_9E41);
    set(DATA_FORMAT, DATA_FORMAT_FLOAT);
    set(0x4032, 0);
    set(0x4033, 0);
  }

  private void writeInstantaneous(GridReading g) {
    setFloat(VOLTAGE_AVERAGE, g.averageVolts());
    setFloat(FREQUENCY, g.frequencyHz());
    setFloat(CURRENT_TOTAL, g.totalAmps());
    setFloat(ACTIVE_POWER_TOTAL, g.totalActiveKw());
    setFloat(REACTIVE_POWER_TOTAL, g.totalReactiveKvar());
    setFloat(APPARENT_POWER_TOTAL, g.totalApparentKva());
    setFloat(POWER_FACTOR_TOTAL, g.totalPowerFactor());
    for (int p = 0; p < 3; p++) {
      PhaseReading r = g.phase(p);
      setFloat(VOLTAGE_L1 + 2 * p, r.volts());
      setFloat(CURRENT_L1 + 2 * p, r.amps());
      setFloat(ACTIVE_POWER_L1 + 2 * p, r.activeKw());
      setFloat(REACTIVE_POWER_L1 + 2 * p, r.reactiveKvar());
      setFloat(APPARENT_POWER_L1 + 2 * p, r.apparentKva());
      setFloat(POWER_FACTOR_L1 + 2 * p, r.powerFactor());
    }
    setFloat(LINE_VOLTAGE_L1_L2, g.lineVolts(0, 1));
    setFloat(LINE_VOLTAGE_L1_L3, g.lineVolts(0, 2));
    setFloat(LINE_VOLTAGE_L2_L3, g.lineVolts(1, 2));
  }

  private void writeEnergy(EnergyReading e, int tariff) {
    double[][] imp = new double[3][2];
    double[][] exp = new double[3][2];
    double[][] fwd = new double[3][2];
    double[][] rev = new double[3][2];
    double[][] activeTotal = new double[3][2];
    double[][] reactiveTotal = new double[3][2];
    for (int p = 0; p < 3; p++) {
      for (int t = 0; t < 2; t++) {
        imp[p][t] = e.importKwh(p, t + 1);
        exp[p][t] = e.exportKwh(p, t + 1);
        fwd[p][t] = e.reactiveForwardKvarh(p, t + 1);
        rev[p][t] = e.reactiveReverseKvarh(p, t + 1);
        // combination code 3: the "total" registers hold forward + reverse
        activeTotal[p][t] = imp[p][t] + exp[p][t];
        reactiveTotal[p][t] = fwd[p][t] + rev[p][t];
      }
    }
    writeGroup(ACTIVE_ENERGY_TOTAL, activeTotal);
    writeGroup(ACTIVE_ENERGY_IMPORT, imp);
    writeGroup(ACTIVE_ENERGY_EXPORT, exp);
    writeGroup(REACTIVE_ENERGY_TOTAL, reactiveTotal);
    writeGroup(REACTIVE_ENERGY_FORWARD, fwd);
    writeGroup(REACTIVE_ENERGY_REVERSE, rev);

    set(ACTIVE_TARIFF, tariff);
    double dayCounter = 0;
    for (int p = 0; p < 3; p++) {
      dayCounter += e.importSinceStartKwh(p);
      setFloat(DAY_COUNTER_L1 + 2 * p, e.importSinceStartKwh(p));
    }
    setFloat(DAY_COUNTER, dayCounter);
    // 0x604B..0x6062: T3/T4 registers stay 0, the household has a two-tariff contract.
    // Quadrant counters: inductive import is the forward reactive energy, capacitive import the
    // reverse one.
    writeQuadrant(Q1_REACTIVE_ENERGY, fwd);
    writeQuadrant(Q2_REACTIVE_ENERGY, rev);
  }

  /** total, T1, T2, L1, L2, L3 of one energy quantity; totals are the sums of their parts. */
  private void writeGroup(int base, double[][] perPhaseAndTariff) {
    double t1 = 0;
    double t2 = 0;
    for (int p = 0; p < 3; p++) {
      t1 += perPhaseAndTariff[p][0];
      t2 += perPhaseAndTariff[p][1];
      setFloat(base + GROUP_L1 + 2 * p, perPhaseAndTariff[p][0] + perPhaseAndTariff[p][1]);
    }
    setFloat(base, t1 + t2);
    setFloat(base + GROUP_T1, t1);
    setFloat(base + GROUP_T2, t2);
  }

  /** total, T1, T2, T3, T4 of one quadrant counter. */
  private void writeQuadrant(int base, double[][] perPhaseAndTariff) {
    double t1 = 0;
    double t2 = 0;
    for (int p = 0; p < 3; p++) {
      t1 += perPhaseAndTariff[p][0];
      t2 += perPhaseAndTariff[p][1];
    }
    setFloat(base, t1 + t2);
    setFloat(base + 2, t1);
    setFloat(base + 4, t2);
  }

  private void set(int address, int raw16) {
    for (Block b : BLOCKS) {
      if (b.covers(address, 1)) {
        array(b)[address - b.first()] = raw16 & 0xFFFF;
        return;
      }
    }
    // an override outside the map cannot be read anyway; ignoring it keeps reads as the real
    // meter's
  }

  private void setFloat(int address, double value) {
    setUint32(address, Float.floatToIntBits((float) value));
  }

  private void setUint32(int address, int bits) {
    set(address, bits >>> 16);
    set(address + 1, bits & 0xFFFF);
  }

  private int[] array(Block b) {
    if (b == IDENTITY) {
      return identity;
    }
    return b == INSTANTANEOUS ? instantaneous : energy;
  }
}
