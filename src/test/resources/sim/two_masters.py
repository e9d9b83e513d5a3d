"""Two independent Modbus TCP masters (Debian's python3-pymodbus) on one server at once, as the
exporter and the heat-pump controller share the user's gateway: one polls the meter's holding
registers, the other the heat pump's input registers, each on its own connection, at the same time.
Prints per unit how many polls were answered and how many failed (pymodbus drops a reply for
another unit and reports no response).

    python3 two_masters.py PORT METER_UNIT HEAT_PUMP_UNIT POLLS TIMEOUT_SECONDS
"""
import sys
import threading

from pymodbus.client import ModbusTcpClient

port, meter, pump, polls = (int(a) for a in sys.argv[1:5])
timeout = float(sys.argv[5])
results = {}


def master(unit, read):
    client = ModbusTcpClient("127.0.0.1", port=port, timeout=timeout, retries=0)
    if not client.connect():
        sys.exit("cannot connect to 127.0.0.1:%d" % port)
    answered = failed = 0
    for _ in range(polls):
        if read(client, unit).isError():
            failed += 1
        else:
            answered += 1
    client.close()
    results[unit] = (answered, failed)


threads = [
    threading.Thread(target=master, args=(meter, lambda c, u: c.read_holding_registers(0x5000, 2, slave=u))),
    threading.Thread(target=master, args=(pump, lambda c, u: c.read_input_registers(0, 2, slave=u))),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
for unit in (meter, pump):
    print("unit %d answered %d failed %d" % (unit, *results[unit]))
