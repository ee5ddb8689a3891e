package io.appmeshxds.translator.input;

/**
 * Where a document came from: a file (or {@code -} for stdin) and, in a multi-document stream, the
 * 0-based document index. Printed as {@code file} or {@code file document N} (N from 1). An object Flagger creates from a
 * Canary (see {@link FlaggerObjects}) carries the Canary's place and the Canary, printed as {@code
 * canary.yaml document 1 (created by Flagger from Canary demo/podinfo)}.
 *
 * @param derivedFrom the Canary the object is derived from, or null for an object read as written
 */
public record SourceRef(String location, int document, boolean multiDocument, ObjectRef derivedFrom) {

  public SourceRef(String location, int document, boolean multiDocument) {
    this(location, document, multiDocument, null);
  }

  /** Whether Flagger creates this object (it is not in the input as written). */
  public boolean derived() {
    return derivedFrom != null;
  }

  /** This place, for an object Flagger creates from {@code canary}. */
  public SourceRef derivedFrom(ObjectRef canary) {
    return new SourceRef(location, document, multiDocument, canary);
  }

  /**
   * {@code file} or {@code file document N} (N counted from 1, as a reader counts the documents of
   * a multi-document file; written out so that it is not read as a line number).
   */
  @Override
  public String toString() {
    String at = multiDocument ? location + " document " + (document + 1) : location;
    return derivedFrom == null ? at
        : at + " (created by Flagger from Canary " + derivedFrom.namespace() + "/" + derivedFrom.name() + ")";
  }
}
