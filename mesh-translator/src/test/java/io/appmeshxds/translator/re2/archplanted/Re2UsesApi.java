package io.appmeshxds.translator.re2.archplanted;

import io.appmeshxds.translator.api.Duration;

/** Planted (never run): the re2 layer may not access any layer; this one reads api. */
public final class Re2UsesApi {
  Duration duration;
}
