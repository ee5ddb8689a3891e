package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** {@code logging: {accessLog: {file: {path, format?}}}} of VirtualNodes and VirtualGateways. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Logging(AccessLog accessLog) {

  /** {@code accessLog: {file?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AccessLog(FileAccessLog file) {}

  /** {@code file: {path, format?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FileAccessLog(@Required @Size(min = 1, max = 255) String path, Format format) {}

  /** Exactly one of json or text; patterns are Envoy command operators. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Format(List<JsonField> json, String text) {
    public Format {
      json = Lists.copy(json);
    }
  }

  /** {@code {key, value}} of a JSON access-log format. */
  public record JsonField(@Required @Size(min = 1) String key, @Required @Size(min = 1) String value) {}
}
