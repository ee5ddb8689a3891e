package io.appmeshxds.crosscheck;

/**
 * One broken rule (or one resource that could not be read) in a {@code *.xds.yaml} file.
 *
 * @param file where the snapshot came from
 * @param node the Envoy node id of the entry, or {@code "-"} for file-level problems
 * @param kind the resource list key ({@code listeners}, {@code routes}, ...), or {@code "-"}
 * @param resource the resource's name ({@code name} or {@code cluster_name}), or {@code "-"}
 * @param anyPath path to the {@code Any} whose unpacked content broke the rule, with the content
 *     type in parentheses after each unpacked {@code Any}; {@code null} for the resource itself
 * @param message what the validator (or the parser) said
 */
record Violation(String file, String node, String kind, String resource, String anyPath, String message) {

  @Override
  public String toString() {
    String where = anyPath == null ? "" : " in Any at " + anyPath;
    return file + ": node " + node + ", " + kind + " '" + resource + "'" + where + ": " + message;
  }
}
