package org.neuralmodules.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of daemon worker threads that runs index ranges. Work is split into contiguous
 * ranges, one per worker, and every result is written to a per-index slot, so results never depend
 * on the number of threads. Always {@link #close()} it (try-with-resources): the pool is shut
 * down, also after an exception or an interrupt.
 */
public final class Parallel implements AutoCloseable {
  private static final AtomicInteger POOL_ID = new AtomicInteger();
  /** Longest wait in {@link #close()} for workers busy in one uninterruptible LU factorisation. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  /** Body of a parallel loop over [from, to) run by worker number {@code worker}. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to, int worker);
  }

  private final int threads;
  private final ExecutorService pool;

  public Parallel(int threads) {
    this.threads = Math.max(1, threads);
    if (this.threads == 1) {
      pool = null;
    } else {
      int id = POOL_ID.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      pool = Executors.newFixedThreadPool(this.threads, r -> {
        Thread t = new Thread(r, "neural-modules-" + id + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  public int threads() {
    return threads;
  }

  /** Runs body over [0, n) split into at most {@link #threads()} ranges; rethrows worker failures. */
  public void forRange(int n, RangeBody body) {
    int parts = Math.min(threads, n);
    if (parts <= 1 || pool == null) {
      if (n > 0) {
        body.run(0, n, 0);
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>(parts);
    for (int t = 0; t < parts; t++) {
      int from = (int) ((long) n * t / parts);
      int to = (int) ((long) n * (t + 1) / parts);
      int worker = t;
      futures.add(pool.submit(() -> body.run(from, to, worker)));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      futures.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new CancellationRuntimeException("interrupted");
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * Interrupts the workers and waits (boundedly) until they have ended, so that no worker of this
   * pool still runs once the caller has returned, also after an interrupt or an exception. Workers
   * check for interrupts between samples and Newton iterations.
   */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
      boolean interrupted = Thread.interrupted();
      try {
        pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Throws a {@link CancellationRuntimeException} if the current thread has been interrupted. */
  public static void checkInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationRuntimeException("interrupted");
    }
  }

  /**
   * Thrown when the calling thread is interrupted while waiting for workers or while working. A
   * {@link CancellationException}, as the solver's own cancellation is.
   */
  public static final class CancellationRuntimeException extends CancellationException {
    private static final long serialVersionUID = 1L;

    public CancellationRuntimeException(String msg) {
      super(msg);
    }
  }
}
