/*
 * An independent Modbus RTU slave for the exporter's serial tests: libmodbus (Debian's
 * libmodbus-dev), not our code and not digitalpetri's, on a serial device at 9600 8E1.
 *
 *   rtu_slave DEVICE UNIT_ID REGISTERS_FILE
 *
 * REGISTERS_FILE holds "ADDRESS VALUE" lines (decimal) of holding registers 0x4000..0x60FF; every
 * other register reads as 0. Each request addressed to UNIT_ID is answered by libmodbus
 * (modbus_reply: reads answered, anything else too, so a write would be visible) and its function
 * code is printed on stdout as "request fc=N", so the test records everything the exporter sent.
 */
#include <errno.h>
#include <modbus.h>
#include <stdio.h>
#include <stdlib.h>

#define FIRST_REGISTER 0x4000
#define REGISTER_COUNT 0x2100

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DEVICE UNIT_ID REGISTERS_FILE\n", argv[0]);
    return 2;
  }
  modbus_mapping_t *map =
      modbus_mapping_new_start_address(0, 0, 0, 0, FIRST_REGISTER, REGISTER_COUNT, 0, 0);
  FILE *registers = fopen(argv[3], "r");
  if (map == NULL || registers == NULL) {
    perror("setup");
    return 1;
  }
  int address, value;
  while (fscanf(registers, "%d %d", &address, &value) == 2) {
    if (address >= FIRST_REGISTER && address < FIRST_REGISTER + REGISTER_COUNT) {
      map->tab_registers[address - FIRST_REGISTER] = (uint16_t)value;
    }
  }
  fclose(registers);

  modbus_t *ctx = modbus_new_rtu(argv[1], 9600, 'E', 8, 1);
  if (ctx == NULL || modbus_set_slave(ctx, atoi(argv[2])) == -1 || modbus_connect(ctx) == -1) {
    fprintf(stderr, "cannot open %s: %s\n", argv[1], modbus_strerror(errno));
    return 1;
  }
  printf("ready on %s\n", argv[1]);
  fflush(stdout);

  uint8_t request[MODBUS_RTU_MAX_ADU_LENGTH];
  for (;;) {
    int length = modbus_receive(ctx, request);
    if (length > 0) {
      printf("request fc=%d\n", request[1]);
      fflush(stdout);
      modbus_reply(ctx, request, length, map);
    } else if (length == -1 && errno == EBADF) {
      break;
    }
  }
  modbus_close(ctx);
  modbus_free(ctx);
  return 0;
}
