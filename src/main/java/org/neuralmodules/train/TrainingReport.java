package org.neuralmodules.train;

import java.io.Serializable;
import org.neuralmodules.solve.SolveStats;

/** What happened during training, for toString and the Experimenter. */
public final class TrainingReport implements Serializable {
  private static final long serialVersionUID = 1L;

  public int epochsRun;
  public int bestEpoch;
  public boolean earlyStopped;
  public double trainLoss = Double.NaN;
  public double validationLoss = Double.NaN;
  public double bestValidationLoss = Double.NaN;
  /** Weighted error rate on the validation rows (nominal class; NaN otherwise). */
  public double validationError = Double.NaN;
  /** Validation error of the kept (best) epoch. */
  public double bestValidationError = Double.NaN;
  public int trainRows;
  public int validationRows;
  public long trainNanos;
  public int divergenceRestarts;
  public double finalLearningRate;
  public String backend = "";
  /** Whether -V asked for validation rows but fewer than -min-validation would have been held out. */
  public boolean validationSkipped;
  /** Epochs allowed by -N and -steps. */
  public int epochCap;
  /** How often the learning rate was halved on a plateau. */
  public int lrReductions;
  /** Why training ended (null while it runs, or in models saved before this field existed). */
  public String stopReason;
  /** Whether the inputs were kept sparse (false in models saved before sparse inputs existed). */
  public boolean sparseInputs;
  /** Fraction of non-zero input values when {@link #sparseInputs}. */
  public double sparseInputDensity;
  /** Solver counters over all of training. */
  public final SolveStats trainingSolves = new SolveStats();
  /** Solver counters of the last epoch only (what the final model looks like). */
  public final SolveStats lastEpochSolves = new SolveStats();

  public double secondsPerEpoch() {
    return epochsRun == 0 ? 0 : trainNanos / 1e9 / epochsRun;
  }
}
