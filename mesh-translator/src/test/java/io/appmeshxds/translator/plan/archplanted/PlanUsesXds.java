package io.appmeshxds.translator.plan.archplanted;

import io.appmeshxds.translator.xds.Names;

/** Planted (never run): the plan layer may not access the later xds layer; this one does. */
public final class PlanUsesXds {
  Names names;
}
