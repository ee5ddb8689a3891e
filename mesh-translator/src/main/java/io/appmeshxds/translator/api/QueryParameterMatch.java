package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** Query parameter condition {@code {name, match: {exact}?}}; without match it means "present". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryParameterMatch(@Required String name, Match match) {

  /** App Mesh's {@code QueryMatchMethod}: only {@code exact}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Match(String exact) {}
}
