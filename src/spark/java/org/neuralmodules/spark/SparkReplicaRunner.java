package org.neuralmodules.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.neuralmodules.train.Adam;
import org.neuralmodules.train.DataParallelEpochs;
import org.neuralmodules.train.Replica;

/**
 * Runs the replicas' epochs as Spark tasks: one RDD partition per replica, kept in executor memory
 * across epochs; each epoch the weights, Adam state and learning rate are broadcast, every task
 * runs its replica's pass, and the results (weights and Adam state per partition) come back to the
 * driver, which averages them.
 */
final class SparkReplicaRunner implements DataParallelEpochs.ReplicaRunner, AutoCloseable {
  /** What every task needs at the start of an epoch. */
  record EpochStart(double[] theta, Adam adam, double lr, int epoch) implements Serializable {
  }

  private final JavaSparkContext sc;
  private final JavaRDD<Replica> replicas;

  SparkReplicaRunner(JavaSparkContext sc, List<Replica> slices) {
    this.sc = sc;
    this.replicas = sc.parallelize(slices, slices.size()).persist(StorageLevel.MEMORY_ONLY());
  }

  @Override
  public List<Replica.Result> run(double[] theta, Adam adam, double lr, int epoch) {
    Broadcast<EpochStart> start = sc.broadcast(new EpochStart(theta, adam, lr, epoch));
    try {
      return replicas.map(r -> {
        EpochStart s = start.value();
        return r.run(s.theta(), s.adam(), s.lr(), s.epoch());
      }).collect();
    } finally {
      start.destroy();
    }
  }

  @Override
  public void close() {
    replicas.unpersist(false);
  }
}
