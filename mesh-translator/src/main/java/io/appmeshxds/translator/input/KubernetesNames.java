package io.appmeshxds.translator.input;

import java.util.regex.Pattern;

/**
 * The API server's rules for object names: a lowercase RFC 1123 subdomain for most kinds (App Mesh
 * objects, EndpointSlices, Canaries), an RFC 1123 label for Namespaces (and every {@code
 * metadata.namespace}), an RFC 1035 label for Services. Files never went through the API server,
 * so a name it would reject (capitals, an underscore, a leftover template) is caught here.
 */
final class KubernetesNames {
  private KubernetesNames() {}

  /** Which rule a name follows. */
  enum Rule {
    SUBDOMAIN(253, "a lowercase RFC 1123 subdomain: lower case letters, digits, '-' and '.', starting and ending with a"
        + " letter or digit"),
    LABEL(63, "a lowercase RFC 1123 label: lower case letters, digits and '-', starting and ending with a letter or digit"),
    SERVICE(63, "an RFC 1035 label: lower case letters, digits and '-', starting with a letter and ending with a letter"
        + " or digit");

    final int maxLength;
    final String words;

    Rule(int maxLength, String words) {
      this.maxLength = maxLength;
      this.words = words;
    }
  }

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SERVICE = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  /** The rule for {@code metadata.name} of a kind. */
  static Rule forKind(String kind) {
    return switch (kind) {
      case "Namespace" -> Rule.LABEL;
      case "Service" -> Rule.SERVICE;
      default -> Rule.SUBDOMAIN;
    };
  }

  /** Why {@code name} breaks {@code rule}, or null when it is valid. */
  static String problem(String name, Rule rule) {
    if (name.length() > rule.maxLength) {
      return "\"" + name + "\" is too long: at most " + rule.maxLength + " characters (got " + name.length() + ")";
    }
    boolean ok = switch (rule) {
      case LABEL -> LABEL.matcher(name).matches();
      case SERVICE -> SERVICE.matcher(name).matches();
      case SUBDOMAIN -> subdomain(name);
    };
    return ok ? null : "\"" + name + "\" is not a valid name: it must be " + rule.words + " (the API server rejects it)";
  }

  private static boolean subdomain(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (!LABEL.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }
}
