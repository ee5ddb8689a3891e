package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** App Mesh duration: {@code {unit: s|ms, value: n}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Duration(@Required Unit unit, @Required @Min(0) Long value) {

  /** Duration units App Mesh accepts. */
  public enum Unit {
    s,
    ms
  }

  /** Milliseconds; callers validate first (unit and value present). */
  public long toMillis() {
    return unit == Unit.s ? value * 1000L : value;
  }

  public static Duration ofMillis(long ms) {
    return new Duration(Unit.ms, ms);
  }

  public static Duration ofSeconds(long s) {
    return new Duration(Unit.s, s);
  }
}
