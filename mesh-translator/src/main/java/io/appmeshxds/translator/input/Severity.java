package io.appmeshxds.translator.input;

/**
 * How a problem weighs. ERROR rejects the object; UNSUPPORTED rejects it too (it is not served) but
 * names a feature App Mesh accepted and we do not serve yet, so {@code validate} counts it apart;
 * WARNING is reported and the object is served.
 */
public enum Severity {
  ERROR,
  UNSUPPORTED,
  WARNING;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
