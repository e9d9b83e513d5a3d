package dev.wagoexporter.sim;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One simulated WAGO 879-30xx on the bus: a household's load, its energy counters and the identity
 * block, read as registers at the clock's current instant. Tests pin values with the override
 * methods and read what a request gets with {@link #floatAt} and {@link #registerAt}: the
 * simulator's test seam ({@code simulate} and {@code demo} never pin anything). Thread-safe.
 */
public final class SimulatedMeter {
  private final int unitId;
  private final SimulatedTime time;
  private final HouseholdLoad load;
  private final EnergyCounters counters;
  private final Map<Integer, Integer> overrides = new ConcurrentHashMap<>();

  /** A float32 pinned for exactly one read request; guarded by this. */
  private @Nullable OneRead oneRead;

  private record OneRead(int address, float value, Runnable afterRead) {}

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
    putFloat(overrides, address, value);
  }

  /** Pins one raw register, e.g. data format 0x4026 = 2 (integer). */
  public void overrideRegister(int address, int raw16) {
    requireInMap(address);
    if (raw16 < 0 || raw16 > 0xFFFF) {
      throw new IllegalArgumentException("register value must be 0..0xFFFF, was " + raw16);
    }
    overrides.put(address, raw16);
  }

  /**
   * Pins the float32 at {@code address} for exactly one read request that covers it: the next
   * request answers {@code value}, later ones the model again. {@code afterRead} runs once that
   * request is answered (before its reply leaves), so a test knows when the value stopped without
   * guessing how long one poll takes on a busy machine. Replaces an earlier one-read pin.
   */
  public synchronized void overrideFloatForOneRead(int address, float value, Runnable afterRead) {
    requireInMap(address);
    requireInMap(address + 1);
    oneRead = new OneRead(address, value, afterRead);
  }

  /** Lets every register follow the household model again. */
  public synchronized void clearOverrides() {
    overrides.clear();
    oneRead = null;
  }

  /**
   * The registers one read request gets: the image now, with a one-read pin applied and used up
   * when the request covers it.
   */
  byte[] read(int address, int quantity) {
    OneRead pin;
    RegisterImage image;
    synchronized (this) {
      pin = oneRead;
      if (pin == null || pin.address() < address || pin.address() + 1 >= address + quantity) {
        return imageNow().read(address, quantity);
      }
      oneRead = null;
      Map<Integer, Integer> pinned = new TreeMap<>(overrides);
      putFloat(pinned, pin.address(), pin.value());
      image = imageWith(pinned);
    }
    byte[] registers = image.read(address, quantity);
    pin.afterRead().run();
    return registers;
  }

  /**
   * The whole register image at the clock's current instant: one consistent picture for one
   * request.
   */
  RegisterImage imageNow() {
    return imageWith(new TreeMap<>(overrides));
  }

  private RegisterImage imageWith(Map<Integer, Integer> pinned) {
    Instant now = time.now();
    GridReading grid = load.at(now, time.zone());
    EnergyReading energy = counters.at(now);
    int tariff = HouseholdLoad.tariffAt(now, time.zone());
    return RegisterImage.of(unitId, grid, energy, tariff, pinned);
  }

  /** A float32 as the meter holds it: two registers, high word first. */
  private static void putFloat(Map<Integer, Integer> registers, int address, float value) {
    int bits = Float.floatToRawIntBits(value);
    registers.put(address, bits >>> 16);
    registers.put(address + 1, bits & 0xFFFF);
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
