package io.appmeshxds.translator.xds.archplanted;

import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.status.Condition;

/** Planted (never run): the xds layer reads plans, never the model or statuses; this one reads both. */
public final class XdsUsesModelAndStatus {
  BuildResult built;
  Condition condition;
}
