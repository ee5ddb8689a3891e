package io.appmeshxds.translator.archplanted.cycle.b;

import io.appmeshxds.translator.archplanted.cycle.a.CycleA;

/** Planted (never run): half of a package cycle for no_package_cycles (with {@link CycleA}). */
public final class CycleB {
  CycleA a;
}
