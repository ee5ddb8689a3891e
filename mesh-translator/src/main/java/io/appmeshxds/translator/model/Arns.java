package io.appmeshxds.translator.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App Mesh ARNs ({@code arn:aws:appmesh:<region>:<account>:mesh/<mesh>/<type>/<name>}). Only the
 * resource part matters to us: the mesh and the App Mesh name of the object.
 */
final class Arns {
  private Arns() {}

  private static final Pattern RESOURCE = Pattern.compile("^mesh/([^/]+)/([^/]+)/([^/]+)$");

  /** A parsed ARN resource: mesh name (with any {@code @owner} suffix removed), type, name. */
  record Parsed(String mesh, String type, String name) {}

  /**
   * Parses an ARN and checks its resource type; returns null and reports why when it cannot.
   *
   * @param expectedType e.g. {@code virtualService}
   */
  static Parsed parse(String arn, String expectedType, String field, Findings f) {
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !"arn".equals(parts[0]) || !"appmesh".equals(parts[2])) {
      f.error(field, "\"" + arn + "\" is not an App Mesh ARN (arn:aws:appmesh:<region>:<account>:mesh/<mesh>/"
          + expectedType + "/<name>)");
      return null;
    }
    Matcher m = RESOURCE.matcher(parts[5]);
    if (!m.matches()) {
      f.error(field, "\"" + arn + "\": resource part must be mesh/<mesh>/" + expectedType + "/<name>");
      return null;
    }
    if (!expectedType.equals(m.group(2))) {
      f.error(field, "expects " + expectedType + " ARN, got " + m.group(2) + " ARN");
      return null;
    }
    String mesh = m.group(1);
    int at = mesh.indexOf('@');
    return new Parsed(at < 0 ? mesh : mesh.substring(0, at), m.group(2), m.group(3));
  }
}
