package org.neuralmodules.config;

/** Penalty on incoming off-diagonal edges: L1 (soft threshold) or L2 (shrinkage). */
public enum Norm { L1, L2 }
