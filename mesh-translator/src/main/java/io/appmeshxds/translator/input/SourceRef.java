package io.appmeshxds.translator.input;

/**
 * Where a document came from: a file (or {@code -} for stdin) and, in a multi-document stream, the
 * 0-based document index. Printed as {@code file[:document-index]}.
 */
public record SourceRef(String location, int document, boolean multiDocument) {

  @Override
  public String toString() {
    return multiDocument ? location + ":" + document : location;
  }
}
