package io.appmeshxds.translator.archplanted.re2j;

import com.google.re2j.Re2jTrees;
import io.appmeshxds.translator.re2.Re2Node;

/** Planted (never run): a class outside re2 that calls re2's accessor in re2j's package. */
public final class CallsTheRe2jAccessor {
  private CallsTheRe2jAccessor() {}

  static Re2Node parse(String pattern) {
    return Re2jTrees.parse(pattern);
  }
}
