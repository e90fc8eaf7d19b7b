package org.neuralmodules.wekaio;

import java.util.ArrayList;
import java.util.List;
import org.neuralmodules.train.ModelAverage;
import org.neuralmodules.train.TrainedModel;
import weka.core.WekaException;

/**
 * Collects models trained on parts of the data (Weka's {@code Aggregateable}: distributed map
 * tasks train one per partition, a reduce task combines them) and averages their parameters.
 * The preprocessing of the first model is kept: each part standardised with its own means and
 * deviations, which differ a little (docs/design-notes.md, "Averaging models").
 */
public final class ModelAggregation {
  private final Preprocessor preprocessor;
  private final List<TrainedModel> models = new ArrayList<>();

  /**
   * @throws WekaException if the first model is missing (not trained, or trained on no usable rows)
   */
  public ModelAggregation(Preprocessor preprocessor, TrainedModel first) throws WekaException {
    if (preprocessor == null || first == null) {
      throw new WekaException("NeuralModules: cannot aggregate a model that was not trained on rows "
          + "(not built, or fell back to ZeroR).");
    }
    this.preprocessor = preprocessor;
    models.add(first);
  }

  /**
   * Adds another part's model.
   *
   * @throws WekaException naming the difference if it has other options, another header or other
   *     features after preprocessing, or no network
   */
  public void add(Preprocessor otherPre, TrainedModel other) throws WekaException {
    if (otherPre == null || other == null) {
      throw new WekaException("NeuralModules: cannot aggregate model " + (models.size() + 1)
          + ": it was not trained on rows (not built, or fell back to ZeroR).");
    }
    String diff = preprocessor.differenceFrom(otherPre);
    if (diff == null) {
      diff = ModelAverage.difference(models.get(0), other);
    }
    if (diff != null) {
      throw new WekaException("NeuralModules: cannot average model " + (models.size() + 1)
          + " with the first: " + diff + ". Averaging needs models trained with the same options on the "
          + "same header; combine them with weka.classifiers.meta.Vote instead.");
    }
    models.add(other);
  }

  public int size() {
    return models.size();
  }

  /** The preprocessing the averaged model uses (the first model's). */
  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** The model with the averaged parameters (its plan rebuilt from them). */
  public TrainedModel average() {
    return ModelAverage.average(models);
  }
}
