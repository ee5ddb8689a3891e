package io.appmeshxds.translator.re2;

/**
 * The RE2 program size Envoy accepts in a {@code safe_regex}: the runtime key
 * {@code re2.max_program_size.error_level}, which our bootstrap sets to 1000 as App Mesh's Envoy
 * agent did (Envoy's own default is 100). Envoy rejects a regex whose {@code RE2::ProgramSize()}
 * exceeds it, and with it the whole route configuration.
 */
public final class Re2Limit {
  private Re2Limit() {}

  /** Runtime key of the limit. */
  public static final String RUNTIME_KEY = "re2.max_program_size.error_level";

  /** The limit our bootstrap sets. */
  public static final int MAX_PROGRAM_SIZE = 1000;
}
