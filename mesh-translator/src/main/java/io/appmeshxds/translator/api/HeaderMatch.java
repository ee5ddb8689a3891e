package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One header (HTTP) or metadata (gRPC) condition: {@code {name, match?, invert?}}. Without
 * {@code match} it means "the header is present".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderMatch(
    @Required @Size(min = 1, max = 50) String name, HeaderMatchMethod match, Boolean invert) {

  public boolean inverted() {
    return Boolean.TRUE.equals(invert);
  }
}
