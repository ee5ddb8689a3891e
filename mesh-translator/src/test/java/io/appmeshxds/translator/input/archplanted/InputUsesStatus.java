package io.appmeshxds.translator.input.archplanted;

import io.appmeshxds.translator.status.Condition;

/** Planted (never run): the input layer may only access api; this one reads status. */
public final class InputUsesStatus {
  Condition condition;
}
