package io.appmeshxds.translator.status.archplanted;

import io.appmeshxds.translator.model.BuildResult;

/** Planted (never run): the status layer may only access api and input; this one reads the model. */
public final class StatusUsesModel {
  BuildResult built;
}
