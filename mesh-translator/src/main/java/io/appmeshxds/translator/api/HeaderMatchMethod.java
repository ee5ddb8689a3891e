package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/**
 * Header (and gRPC metadata) match: exactly one of exact, prefix, regex, suffix, range. App Mesh's
 * {@code HeaderMatchMethod} and {@code GRPCRouteMetadataMatchMethod} have this same shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderMatchMethod(
    @Size(min = 1, max = 255) String exact,
    @Size(min = 1, max = 255) String prefix,
    MatchRange range,
    @Size(min = 1, max = 255) String regex,
    @Size(min = 1, max = 255) String suffix) {

  public static HeaderMatchMethod exactly(String v) {
    return new HeaderMatchMethod(v, null, null, null, null);
  }

  public static HeaderMatchMethod regexp(String v) {
    return new HeaderMatchMethod(null, null, null, v, null);
  }

  /** Number of members set (the union needs exactly one). */
  public int membersSet() {
    int n = 0;
    for (Object o : new Object[] {exact, prefix, range, regex, suffix}) {
      if (o != null) {
        n++;
      }
    }
    return n;
  }
}
