package org.neuralmodules.train;

import java.util.Locale;

/** One line on how training goes, for the Explorer's status bar and log and the progress window. */
public final class TrainingProgress {
  private TrainingProgress() {}

  /**
   * E.g. "epoch 12 of at most 64: train loss 0.331, validation error 0.0812 (kept 0.0790, epoch 10),
   * 3 modules (largest 8), 0.42 s/epoch, at most 22 s left".
   */
  public static String line(TrainedModel m) {
    TrainingReport r = m.report();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "epoch %d of at most %d: train loss %.4g", r.epochsRun, r.epochCap,
        r.trainLoss));
    if (r.validationRows > 0) {
      if (!Double.isNaN(r.validationError)) {
        sb.append(String.format(Locale.ROOT, ", validation error %.4f (kept %.4f, epoch %d)", r.validationError,
            r.bestValidationError, r.bestEpoch));
      } else {
        sb.append(String.format(Locale.ROOT, ", validation loss %.4g (kept %.4g, epoch %d)", r.validationLoss,
            r.bestValidationLoss, r.bestEpoch));
      }
    }
    sb.append(String.format(Locale.ROOT, ", %d modules (largest %d), %.2f s/epoch, at most %s left",
        m.plan().moduleCount, m.plan().largestModule(), r.secondsPerEpoch(),
        duration(r.secondsPerEpoch() * Math.max(0, r.epochCap - r.epochsRun))));
    return sb.toString();
  }

  static String duration(double seconds) {
    if (seconds < 90) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 5400) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}
