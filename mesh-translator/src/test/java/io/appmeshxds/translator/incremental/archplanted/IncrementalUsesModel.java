package io.appmeshxds.translator.incremental.archplanted;

import io.appmeshxds.translator.model.BuildResult;

/** Planted (never run): the incremental layer may only access api and input; this one reads the model. */
public final class IncrementalUsesModel {
  BuildResult built;
}
