package io.appmeshxds.server.diff;

/** A dump that cannot be compared (not JSON, not a v3 ConfigDump, …); the message says why and never quotes the input. */
public final class DumpException extends Exception {
  private static final long serialVersionUID = 1L;

  public DumpException(String message) {
    super(message);
  }
}
