package io.appmeshxds.translator.input;

/**
 * What one manifest file may cost to read. Why: a manifest is input an operator (or a GitOps tool,
 * or whoever can write the watched directory) controls; a huge, deeply nested or binary file must
 * be refused with one line before it costs the control plane its memory or a minute of CPU.
 *
 * <p>Fixed limits, checked by the parsers ({@link Json}): nesting depth {@value #MAX_NESTING_DEPTH}
 * (Kubernetes objects nest about 15 deep), YAML aliases are never expanded (Jackson's YAML parser
 * reports an alias as a value; a "billion laughs" document costs its own size), at most
 * {@value #MAX_ALIASES} aliases per collection, and a document may hold at most {@value
 * #MAX_CODE_POINTS} code points. The per-file byte limit is a setting
 * ({@code --max-manifest-bytes}).
 *
 * @param maxFileBytes a file (or stdin) larger than this is refused unread
 */
public record ManifestLimits(long maxFileBytes) {

  /** Default per-file limit: 32 MiB, about 35,000 App Mesh objects; a GitOps repository splits a mesh into files. */
  public static final long DEFAULT_MAX_FILE_BYTES = 32L << 20;

  /** Deepest nesting of objects and arrays a document may have. */
  public static final int MAX_NESTING_DEPTH = 200;

  /** Most aliases per collection (snakeyaml-engine's limit, set explicitly). */
  public static final int MAX_ALIASES = 50;

  /** Most code points in one YAML document (snakeyaml-engine's limit; its own default is 3 MB). */
  public static final int MAX_CODE_POINTS = 64 << 20;

  public ManifestLimits {
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("the manifest byte limit must be at least 1, not " + maxFileBytes);
    }
  }

  /** The defaults. */
  public static ManifestLimits defaults() {
    return new ManifestLimits(DEFAULT_MAX_FILE_BYTES);
  }

  /**
   * A byte count as given on the command line or in a config file: {@code 33554432}, {@code 32Mi},
   * {@code 512Ki}, {@code 1Gi}, {@code 10M}, {@code 64k}.
   *
   * @throws IllegalArgumentException with a message naming the value
   */
  public static long parseBytes(String s) {
    String t = s.strip();
    long unit = 1;
    String[][] suffixes = {{"Gi", "1073741824"}, {"Mi", "1048576"}, {"Ki", "1024"}, {"G", "1000000000"}, {"M", "1000000"},
        {"k", "1000"}, {"K", "1000"}};
    for (String[] sfx : suffixes) {
      if (t.endsWith(sfx[0])) {
        unit = Long.parseLong(sfx[1]);
        t = t.substring(0, t.length() - sfx[0].length());
        break;
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n < 1 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a byte count (e.g. 33554432, 32Mi, 512Ki)");
    }
  }
}
