package org.neuralmodules.backend;

import org.neuralmodules.solve.NodeSolver;

/** The backend contract for the CPU threads backend. */
class CpuBackendContractTest extends AbstractSolverBackendContractTest {
  @Override
  protected SolverBackend create(NodeSolver solver, int threads) {
    return new CpuBackend(solver, threads);
  }
}
