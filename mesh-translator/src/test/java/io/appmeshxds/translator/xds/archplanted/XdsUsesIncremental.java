package io.appmeshxds.translator.xds.archplanted;

import io.appmeshxds.translator.incremental.archplanted.IncrementalUsesModel;

/** Planted (never run): only model and plan may access the incremental layer; this xds class does. */
public final class XdsUsesIncremental {
  IncrementalUsesModel recorder;
}
