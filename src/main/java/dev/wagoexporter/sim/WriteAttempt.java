package dev.wagoexporter.sim;

/** A write request the simulated meter refused (the exporter must never send one). */
public record WriteAttempt(int unitId, int functionCode, int address) {}
