package io.appmeshxds.translator.input;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads manifests as {@code kustomize build} prints them: multi-document YAML (documents separated
 * by {@code ---} lines), JSON, {@code kind: List}, given as text, bytes or parsed documents. Keeps
 * App Mesh objects, Namespaces, Services and {@code discovery.k8s.io/v1} EndpointSlices; notes
 * Flagger Canaries; ignores everything else. Files, directories and stdin are read by {@link
 * ManifestFiles}, the module's only code that touches the file system; this class is pure.
 *
 * <p>Why split on separator lines before parsing: a YAML syntax error in one document must not hide
 * the others, and every problem must name its document index.
 */
public final class ManifestLoader {

  private final ManifestLimits limits;

  /** With the default limits. */
  public ManifestLoader() {
    this(ManifestLimits.defaults());
  }

  public ManifestLoader(ManifestLimits limits) {
    this.limits = limits;
  }

  public ManifestLimits limits() {
    return limits;
  }

  /**
   * Reads one stream of documents given as bytes (e.g. stdin, with {@code location} "-"), with the
   * same checks as a file: size, binary data, UTF-8. Read stdin with {@link ManifestFiles#read(
   * java.io.InputStream, String, ManifestLimits)} so that a huge stream is not held first.
   */
  public LoadResult loadBytes(String location, byte[] bytes) {
    try {
      ManifestBytes.checkSize(location, bytes.length, limits);
      return loadText(location, ManifestBytes.decode(location, bytes));
    } catch (ManifestBytes.Refused e) {
      Sink sink = new Sink();
      sink.inputs.add(location);
      sink.ioErrors.add(e.getMessage());
      return sink.result();
    }
  }

  /** Reads one stream of documents (e.g. stdin, with {@code location} "-"). */
  public LoadResult loadText(String location, String text) {
    Sink sink = new Sink();
    sink.inputs.add(location);
    readText(location, text, false, sink);
    return sink.result();
  }

  /**
   * Reads one already-parsed document (e.g. an object an API client received), with the same rules
   * and problem reporting as a document in a file; {@code location} names it in problems. Except
   * one: a {@code ${VAR}} in a field is taken as written. Why: an object the API server stored is
   * what App Mesh served, placeholder or not; only files are checked for a forgotten envsubst.
   */
  public LoadResult loadDocument(String location, JsonNode document) {
    Sink sink = new Sink();
    sink.templatesAllowed = true;
    sink.inputs.add(location);
    convert(document, new SourceRef(location, 0, false), sink);
    return sink.result();
  }

  void readText(String location, String text, boolean json, Sink sink) {
    String trimmed = text.stripLeading();
    if (json || trimmed.startsWith("{") || trimmed.startsWith("[")) {
      readJson(location, text, sink);
      return;
    }
    List<String> docs = splitDocuments(text);
    boolean multi = docs.size() > 1;
    for (int i = 0; i < docs.size(); i++) {
      SourceRef src = new SourceRef(location, i, multi);
      JsonNode node;
      try {
        node = Json.YAML.readTree(docs.get(i));
      } catch (JacksonException e) {
        sink.problems.add(syntaxError(e, src));
        continue;
      }
      convert(node, src, sink);
    }
  }

  private void readJson(String location, String text, Sink sink) {
    JsonNode node;
    try {
      node = Json.JSON.readTree(text);
    } catch (JacksonException e) {
      sink.problems.add(syntaxError(e, new SourceRef(location, 0, false)));
      return;
    }
    if (node != null && node.isArray()) {
      int i = 0;
      for (JsonNode item : node.values()) {
        convert(item, new SourceRef(location, i++, true), sink);
      }
    } else {
      convert(node, new SourceRef(location, 0, false), sink);
    }
  }

  private static void convert(JsonNode node, SourceRef src, Sink sink) {
    if (node != null && !node.isMissingNode() && !node.isNull()) {
      sink.documents++;
    }
    try {
      new DocumentConverter(sink).convert(node, src);
    } catch (RuntimeException e) {
      // A converter bug must not lose the other documents: report and continue.
      sink.problems.add(
          new Problem(Severity.ERROR, Reason.MalformedInput, null, "", "document could not be read: " + e, src));
    }
  }

  private static Problem syntaxError(JacksonException e, SourceRef src) {
    String msg = e.getOriginalMessage();
    int nl = msg == null ? -1 : msg.indexOf('\n');
    String first = nl > 0 ? msg.substring(0, nl) : String.valueOf(msg);
    String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    return new Problem(Severity.ERROR, Reason.MalformedInput, null, "", "not valid YAML/JSON: " + first + where, src);
  }

  /**
   * Splits a stream at document separator lines ({@code ---}, optionally followed by a comment or
   * inline content, which starts the next document).
   */
  static List<String> splitDocuments(String text) {
    List<String> docs = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean sawSeparator = false;
    for (String line : text.split("\r?\n", -1)) {
      if (line.startsWith("---") && (line.length() == 3 || Character.isWhitespace(line.charAt(3)))) {
        if (sawSeparator || !cur.toString().isBlank()) {
          docs.add(cur.toString());
        }
        sawSeparator = true;
        cur.setLength(0);
        String rest = line.substring(3).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
          cur.append(rest).append('\n');
        }
        continue;
      }
      cur.append(line).append('\n');
    }
    if (!cur.toString().isBlank() || docs.isEmpty()) {
      docs.add(cur.toString());
    }
    return docs;
  }

  /** What a read collects; the converter adds to it. */
  static final class Sink {
    final List<LoadedObject> objects = new ArrayList<>();
    final List<CanaryInfo> canaries = new ArrayList<>();
    final List<Workload> workloads = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final List<String> ioErrors = new ArrayList<>();
    final List<String> inputs = new ArrayList<>();
    final List<String> templates = new ArrayList<>();
    final java.util.TreeMap<String, Integer> kinds = new java.util.TreeMap<>();
    boolean templatesAllowed;
    int files;
    int documents;
    int meshDocuments;

    LoadResult result() {
      return new LoadResult(objects, canaries, workloads, problems, ioErrors,
          new LoadResult.Read(inputs, files, documents, kinds, meshDocuments, templates));
    }
  }
}
