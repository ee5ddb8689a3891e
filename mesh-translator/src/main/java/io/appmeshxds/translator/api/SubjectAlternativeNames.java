package io.appmeshxds.translator.api;

import io.fabric8.generator.annotation.Required;
import java.util.List;

/** {@code subjectAlternativeNames: {match: {exact: [...]}}}. */
public record SubjectAlternativeNames(@Required Matchers match) {

  /** SAN matchers; App Mesh knows only exact. */
  public record Matchers(@Required List<String> exact) {
    public Matchers {
      exact = Lists.copy(exact);
    }
  }
}
