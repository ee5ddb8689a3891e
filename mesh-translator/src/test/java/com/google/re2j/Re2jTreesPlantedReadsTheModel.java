package com.google.re2j;

import io.appmeshxds.translator.model.GraphMap;

/**
 * Planted (never run): a class of ours in re2j's package, named as re2's accessor is, that depends
 * on the model: the_re2j_accessor_serves_re2_only forbids it.
 */
public final class Re2jTreesPlantedReadsTheModel {
  GraphMap<?> graph;
}
