#!/usr/bin/env python3
"""STAND-IN for the Python exporter the project replaces (exporter/exporter.py of the user's old stack,
as docs/design.md and the migration notes describe it): pymodbus' AsyncModbusTcpClient reads ten float32
values one 2-register read at a time (function code 03) every 30 s and prometheus_client serves them as
gauges in kW and kWh on :9100. Only for bench/docker-stats.sh, which compares the memory of the two side
by side; it is not the original code and not shipped. Settings from the environment: MODBUS_HOST,
MODBUS_PORT (5020), MODBUS_UNIT (2), POLL_INTERVAL (30), LISTEN_PORT (9100).
"""
import asyncio
import inspect
import logging
import os
import struct

from prometheus_client import Gauge, start_http_server
from pymodbus.client import AsyncModbusTcpClient

HOST = os.environ.get("MODBUS_HOST", "127.0.0.1")
PORT = int(os.environ.get("MODBUS_PORT", "5020"))
UNIT = int(os.environ.get("MODBUS_UNIT", "2"))
INTERVAL = float(os.environ.get("POLL_INTERVAL", "30"))
LISTEN = int(os.environ.get("LISTEN_PORT", "9100"))

# the old exporter's ten series: name, register, help
VALUES = [
    ("wago_power_total_kw", 0x5012, "Total active power in kW"),
    ("wago_power_L1_kw", 0x5014, "L1 active power in kW"),
    ("wago_power_L2_kw", 0x5016, "L2 active power in kW"),
    ("wago_power_L3_kw", 0x5018, "L3 active power in kW"),
    ("wago_energy_total_kwh", 0x6000, "Total active energy in kWh"),
    ("wago_energy_L1_kwh", 0x6006, "L1 active energy in kWh"),
    ("wago_energy_L2_kwh", 0x6008, "L2 active energy in kWh"),
    ("wago_energy_L3_kwh", 0x600A, "L3 active energy in kWh"),
    ("wago_frequency_hz", 0x5008, "Grid frequency in Hz"),
    ("wago_power_factor", 0x502A, "Total power factor"),
]
GAUGES = {name: Gauge(name, text) for name, _, text in VALUES}
log = logging.getLogger("legacy-exporter")


def unit_argument(client):
    """pymodbus names the unit id 'slave' up to 3.9 and 'device_id' since: take the one this version has."""
    params = inspect.signature(client.read_holding_registers).parameters
    return "device_id" if "device_id" in params else "slave"


async def poll_forever():
    client = AsyncModbusTcpClient(HOST, port=PORT, timeout=10)
    unit_kw = unit_argument(client)
    while True:
        if not client.connected:
            await client.connect()
        read = 0
        for name, address, _ in VALUES:
            try:
                reply = await client.read_holding_registers(address, count=2, **{unit_kw: UNIT})
                if reply.isError():
                    continue
                value = struct.unpack(">f", struct.pack(">HH", *reply.registers))[0]
                GAUGES[name].set(value)
                read += 1
            except Exception as e:  # the old exporter logged and kept the old value
                log.warning("read of 0x%04X failed: %s", address, e)
        log.info("polled %d of %d values", read, len(VALUES))
        await asyncio.sleep(INTERVAL)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    start_http_server(LISTEN)
    asyncio.run(poll_forever())
