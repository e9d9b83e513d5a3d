"""An independent Modbus master (Debian's python3-pymodbus) for HeatPumpInteropIT: reads the heat
pump's tables, writes its power coil and target temperature, tries one write to the meter, and
prints what it saw, one line per value.

    python3 heat_pump_client.py PORT HEAT_PUMP_UNIT METER_UNIT
"""
import sys

from pymodbus.client import ModbusTcpClient

port, pump, meter = (int(a) for a in sys.argv[1:4])
client = ModbusTcpClient("127.0.0.1", port=port, timeout=5, retries=0)
if not client.connect():
    sys.exit("cannot connect to 127.0.0.1:%d" % port)


def ok(response, what):
    if response.isError():
        sys.exit("%s failed: %s" % (what, response))
    return response


for i, value in enumerate(ok(client.read_input_registers(0, 14, slave=pump), "input").registers):
    print("input %d %d" % (i, value))
for i, value in enumerate(ok(client.read_holding_registers(0, 10, slave=pump), "holding").registers):
    print("holding %d %d" % (i, value))
for i, value in enumerate(ok(client.read_coils(0, 4, slave=pump), "coils").bits[:4]):
    print("coil %d %d" % (i, 1 if value else 0))
ok(client.write_coil(0, False, slave=pump), "write coil")
ok(client.write_register(2, 420, slave=pump), "write register")
print("written")
refused = client.write_register(0x4003, 10, slave=meter)
if refused.isError():
    print("meter refused: exception %d" % refused.exception_code)
else:
    print("meter accepted a write")
client.close()
