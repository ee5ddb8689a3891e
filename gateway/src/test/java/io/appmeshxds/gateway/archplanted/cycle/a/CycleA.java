package io.appmeshxds.gateway.archplanted.cycle.a;

import io.appmeshxds.gateway.archplanted.cycle.b.CycleB;

/** Planted (never run): half of a package cycle for no_package_cycles (with {@link CycleB}). */
public final class CycleA {
  CycleB b;
}
