package io.appmeshxds.translator.input;

import java.util.List;

/**
 * The parts of a Flagger {@code Canary} that decide whether Flagger will write the App Mesh
 * objects we serve. Kept so {@code validate} can catch the mistakes that only failed in the cluster.
 *
 * @param ref the Canary
 * @param apiVersion as written
 * @param provider {@code spec.provider}, or null
 * @param matchEntries number of {@code spec.analysis.match[]} entries
 * @param headerRegexes every {@code regex} under {@code spec.analysis.match[].headers}, with its path
 * @param source where it came from
 */
public record CanaryInfo(
    ObjectRef ref,
    String apiVersion,
    String provider,
    int matchEntries,
    List<FieldValue> headerRegexes,
    SourceRef source) {

  /** Flagger's group. */
  public static final String GROUP = "flagger.app";
  /** The only version the Canary CRD serves. */
  public static final String SERVED_API_VERSION = "flagger.app/v1beta1";

  public CanaryInfo {
    headerRegexes = List.copyOf(headerRegexes);
  }

  /** A value and its field path. */
  public record FieldValue(String field, String value) {}
}
