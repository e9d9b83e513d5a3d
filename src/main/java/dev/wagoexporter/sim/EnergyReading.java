package dev.wagoexporter.sim;

/**
 * The meter's energy registers at one instant, per phase (0..2) and tariff (1 = T1, 2 = T2), in kWh
 * and kvarh. Immutable: arrays are copied in and never handed out.
 */
final class EnergyReading {
  private final double[][] importKwh;
  private final double[][] exportKwh;
  private final double[][] reactiveForwardKvarh;
  private final double[][] reactiveReverseKvarh;
  private final double[] importSinceStartKwh;

  EnergyReading(
      double[][] importKwh,
      double[][] exportKwh,
      double[][] reactiveForwardKvarh,
      double[][] reactiveReverseKvarh,
      double[] importSinceStartKwh) {
    this.importKwh = deepCopy(importKwh);
    this.exportKwh = deepCopy(exportKwh);
    this.reactiveForwardKvarh = deepCopy(reactiveForwardKvarh);
    this.reactiveReverseKvarh = deepCopy(reactiveReverseKvarh);
    this.importSinceStartKwh = importSinceStartKwh.clone();
  }

  double importKwh(int phase, int tariff) {
    return importKwh[phase][tariff - 1];
  }

  double exportKwh(int phase, int tariff) {
    return exportKwh[phase][tariff - 1];
  }

  double reactiveForwardKvarh(int phase, int tariff) {
    return reactiveForwardKvarh[phase][tariff - 1];
  }

  double reactiveReverseKvarh(int phase, int tariff) {
    return reactiveReverseKvarh[phase][tariff - 1];
  }

  double importSinceStartKwh(int phase) {
    return importSinceStartKwh[phase];
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] copy = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      copy[i] = a[i].clone();
    }
    return copy;
  }
}
