package org.neuralmodules.train;

import org.neuralmodules.model.Network;

/** The hand-built network of {@link ModuleRolesTest}, for tests in other packages. */
public final class ModuleRolesTestAccess {
  private ModuleRolesTestAccess() {}

  public static Network network() {
    return ModuleRolesTest.network();
  }
}
