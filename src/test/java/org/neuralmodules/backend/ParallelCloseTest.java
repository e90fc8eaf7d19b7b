package org.neuralmodules.backend;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Closing a worker pool keeps the caller's interrupt flag (issue 15: Parallel.close cleared it to
 * wait for the workers and must set it again): a Stop that arrived just before a backend closed
 * must still stop the training loop above it.
 */
class ParallelCloseTest {

  @Test
  void closeKeepsTheCallersInterruptFlag() {
    Parallel par = new Parallel(2);
    par.forRange(4, (from, to, worker) -> {
      // nothing: the workers exist and have finished
    });
    Thread.currentThread().interrupt();
    par.close();
    assertTrue(Thread.interrupted(), "the flag is set again after close (and cleared here)");
  }

  @Test
  void closeWithoutAnInterruptLeavesTheFlagClear() {
    Parallel par = new Parallel(2);
    par.close();
    assertFalse(Thread.currentThread().isInterrupted());
  }
}
