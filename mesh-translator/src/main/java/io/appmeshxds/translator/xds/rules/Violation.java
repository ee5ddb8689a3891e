package io.appmeshxds.translator.xds.rules;

import java.util.Objects;

/**
 * One broken {@code validate.rules} constraint.
 *
 * @param path where the value sits, in proto field names from the checked message: {@code
 *     filter_chains[0].filters[0].typed_config.(HttpConnectionManager).stat_prefix}; indexes in
 *     brackets, map keys as {@code ["key"]}, an unpacked {@code Any} as {@code (TypeName)}
 * @param rule the rule that failed, e.g. {@code string.min_len}, {@code duration.gt}, {@code
 *     message.required}, {@code oneof.required}
 * @param message what is wrong, e.g. {@code value length must be at least 1 characters}
 */
public record Violation(String path, String rule, String message) {

  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message [rule]}, or without the path for a violation on the checked message itself. */
  @Override
  public String toString() {
    return (path.isEmpty() ? "" : path + ": ") + message + " [" + rule + "]";
  }
}
