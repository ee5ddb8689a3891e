package io.appmeshxds.translator.plan;

import java.util.List;

/**
 * A file access log from {@code logging.accessLog.file}.
 *
 * @param path file path (e.g. /dev/stdout)
 * @param text text format, or null
 * @param json JSON format fields, or empty; both empty means Envoy's default format
 */
public record AccessLogPlan(String path, String text, List<JsonField> json) {
  public AccessLogPlan {
    json = List.copyOf(json);
  }

  /** A JSON format field. */
  public record JsonField(String key, String value) {}
}
