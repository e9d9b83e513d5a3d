/*
 * An independent Modbus master (libmodbus) for HeatPumpInteropIT: reads the heat pump's tables,
 * writes its power coil and target temperature, and tries one write to the meter. Prints one line
 * per value so the test compares them with what the simulator holds.
 *
 *   heat_pump_client tcp PORT HEAT_PUMP_UNIT METER_UNIT
 *   heat_pump_client rtu DEVICE HEAT_PUMP_UNIT METER_UNIT   (9600 8E1)
 */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
  fprintf(stderr, "%s failed: %s\n", what, modbus_strerror(errno));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s tcp PORT|rtu DEVICE HEAT_PUMP_UNIT METER_UNIT\n", argv[0]);
    return 2;
  }
  modbus_t *ctx = strcmp(argv[1], "tcp") == 0
                      ? modbus_new_tcp("127.0.0.1", atoi(argv[2]))
                      : modbus_new_rtu(argv[2], 9600, 'E', 8, 1);
  if (ctx == NULL || modbus_connect(ctx) == -1) {
    return fail("connect");
  }
  modbus_set_response_timeout(ctx, 5, 0);
  int pump = atoi(argv[3]);
  int meter = atoi(argv[4]);
  uint16_t regs[16];
  uint8_t bits[8];

  modbus_set_slave(ctx, pump);
  if (modbus_read_input_registers(ctx, 0, 14, regs) != 14) {
    return fail("read input registers");
  }
  for (int i = 0; i < 14; i++) {
    printf("input %d %u\n", i, regs[i]);
  }
  if (modbus_read_registers(ctx, 0, 10, regs) != 10) {
    return fail("read holding registers");
  }
  for (int i = 0; i < 10; i++) {
    printf("holding %d %u\n", i, regs[i]);
  }
  if (modbus_read_bits(ctx, 0, 4, bits) != 4) {
    return fail("read coils");
  }
  for (int i = 0; i < 4; i++) {
    printf("coil %d %u\n", i, bits[i]);
  }
  if (modbus_write_bit(ctx, 0, 0) != 1) {
    return fail("write coil");
  }
  if (modbus_write_register(ctx, 2, 420) != 1) {
    return fail("write register");
  }
  printf("written\n");

  modbus_set_slave(ctx, meter);
  if (modbus_write_register(ctx, 0x4003, 10) == -1) {
    printf("meter refused: %s\n", errno == EMBXILFUN ? "illegal function" : modbus_strerror(errno));
  } else {
    printf("meter accepted a write\n");
  }
  modbus_close(ctx);
  modbus_free(ctx);
  return 0;
}
