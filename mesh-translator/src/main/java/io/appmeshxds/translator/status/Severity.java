package io.appmeshxds.translator.status;

/** ERROR rejects the object; WARNING is reported and the object is served. */
public enum Severity {
  ERROR,
  WARNING;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
