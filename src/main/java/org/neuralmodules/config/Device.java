package org.neuralmodules.config;

/** Where the per-module node solves run (option -device). */
public enum Device {
  /** An OpenCL GPU if one is present, else the CPU threads. */
  AUTO,
  /** CPU worker threads. */
  CPU,
  /** OpenCL (a GPU, or the CPU through PoCL); an error if no OpenCL device exists. */
  OPENCL
}
