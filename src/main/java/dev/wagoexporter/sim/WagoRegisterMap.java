package dev.wagoexporter.sim;

import java.util.List;

/**
 * The WAGO 879-30xx (= inepro PRO380) register map as the simulator serves it: three blocks read
 * with FC03, float32 big-endian ABCD values in two registers, wire address = the documented hex
 * number. Addresses that lie inside a block but are undocumented read as 0, as on the real meter;
 * anything outside the blocks is refused.
 */
public final class WagoRegisterMap {
  private WagoRegisterMap() {}

  /** A contiguous range of registers, both ends inclusive. */
  public record Block(int first, int last) {
    public int size() {
      return last - first + 1;
    }

    /**
     * Whether a read of {@code quantity} registers from {@code address} stays inside this block.
     */
    public boolean covers(int address, int quantity) {
      return quantity >= 1 && address >= first && address + quantity - 1 <= last;
    }
  }

  public static final Block IDENTITY = new Block(0x4000, 0x4033);
  public static final Block INSTANTANEOUS = new Block(0x5000, 0x5037);
  public static final Block ENERGY = new Block(0x6000, 0x6090);
  public static final List<Block> BLOCKS = List.of(IDENTITY, INSTANTANEOUS, ENERGY);

  // identity block
  public static final int SERIAL_NUMBER = 0x4000;
  public static final int METER_CODE = 0x4002;
  public static final int MODBUS_ID = 0x4003;
  public static final int BAUD_RATE_CODE = 0x4004;
  public static final int PROTOCOL_VERSION = 0x4005;
  public static final int SOFTWARE_VERSION = 0x4007;
  public static final int HARDWARE_VERSION = 0x4009;
  public static final int METER_AMPS = 0x400B;
  public static final int S0_OUTPUT_RATE = 0x400D;
  public static final int COMBINATION_CODE = 0x400F;
  public static final int LCD_CYCLE_TIME = 0x4010;
  public static final int PARITY = 0x4011;
  public static final int CURRENT_DIRECTION_L1 = 0x4012;
  public static final int POWER_DOWN_COUNTER = 0x4016;
  public static final int QUADRANT_TOTAL = 0x4017;
  public static final int CT_RATIO = 0x401F;
  public static final int PULSE_WIDTH = 0x4021;
  public static final int PULSE_TYPE = 0x4022;
  public static final int DATA_FORMAT = 0x4026;

  // instantaneous block; per-phase values follow at +2 (L2) and +4 (L3)
  public static final int VOLTAGE_AVERAGE = 0x5000;
  public static final int VOLTAGE_L1 = 0x5002;
  public static final int FREQUENCY = 0x5008;
  public static final int CURRENT_TOTAL = 0x500A;
  public static final int CURRENT_L1 = 0x500C;
  public static final int ACTIVE_POWER_TOTAL = 0x5012;
  public static final int ACTIVE_POWER_L1 = 0x5014;
  public static final int REACTIVE_POWER_TOTAL = 0x501A;
  public static final int REACTIVE_POWER_L1 = 0x501C;
  public static final int APPARENT_POWER_TOTAL = 0x5022;
  public static final int APPARENT_POWER_L1 = 0x5024;
  public static final int POWER_FACTOR_TOTAL = 0x502A;
  public static final int POWER_FACTOR_L1 = 0x502C;
  public static final int LINE_VOLTAGE_L1_L2 = 0x5032;
  public static final int LINE_VOLTAGE_L1_L3 = 0x5034;
  public static final int LINE_VOLTAGE_L2_L3 = 0x5036;

  // energy block: each group is total, T1, T2, L1, L2, L3 at +0, +2, +4, +6, +8, +10
  public static final int ACTIVE_ENERGY_TOTAL = 0x6000;
  public static final int ACTIVE_ENERGY_IMPORT = 0x600C;
  public static final int ACTIVE_ENERGY_EXPORT = 0x6018;
  public static final int REACTIVE_ENERGY_TOTAL = 0x6024;
  public static final int REACTIVE_ENERGY_FORWARD = 0x6030;
  public static final int REACTIVE_ENERGY_REVERSE = 0x603C;
  public static final int GROUP_T1 = 2;
  public static final int GROUP_T2 = 4;
  public static final int GROUP_L1 = 6;
  public static final int ACTIVE_TARIFF = 0x6048;
  public static final int DAY_COUNTER = 0x6049;
  public static final int T3_ACTIVE_ENERGY_TOTAL = 0x604B;
  public static final int Q1_REACTIVE_ENERGY = 0x6063;
  public static final int Q2_REACTIVE_ENERGY = 0x606D;
  public static final int Q3_REACTIVE_ENERGY = 0x6077;
  public static final int Q4_REACTIVE_ENERGY = 0x6081;
  public static final int DAY_COUNTER_L1 = 0x608B;

  /** Whether a read of {@code quantity} registers from {@code address} lies inside one block. */
  public static boolean covers(int address, int quantity) {
    return BLOCKS.stream().anyMatch(b -> b.covers(address, quantity));
  }

  /** Whether {@code address} lies inside one of the blocks. */
  public static boolean contains(int address) {
    return covers(address, 1);
  }
}
