package io.appmeshxds.translator.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App Mesh ARNs ({@code arn:aws:appmesh:<region>:<account>:mesh/<mesh>/<type>/<name>}). The resource
 * part names the object (its mesh and App Mesh name); the account, and an {@code @owner} suffix on
 * the mesh, tell whose mesh it is.
 */
final class Arns {
  private Arns() {}

  private static final Pattern RESOURCE = Pattern.compile("^mesh/([^/]+)/([^/]+)/([^/]+)$");

  /**
   * A parsed ARN.
   *
   * @param mesh the mesh's App Mesh name, without any {@code @owner} suffix
   * @param owner the {@code @owner} suffix of the mesh part, or null
   * @param type e.g. {@code virtualService}
   * @param name the object's App Mesh name
   * @param account the ARN's account field (may be empty)
   */
  record Parsed(String mesh, String owner, String type, String name, String account) {}

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
    return new Parsed(at < 0 ? mesh : mesh.substring(0, at), at < 0 ? null : mesh.substring(at + 1), m.group(2), m.group(3),
        parts[4]);
  }
}
