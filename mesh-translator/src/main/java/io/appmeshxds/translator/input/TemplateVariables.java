package io.appmeshxds.translator.input;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Finds {@code ${NAME}} placeholders (envsubst syntax) left in a document: walkthroughs ship
 * {@code *.yaml.template} files meant to go through {@code envsubst} first, and one applied as is
 * names objects {@code ${APP_NAMESPACE}} or points at a mesh that does not exist.
 */
final class TemplateVariables {
  private TemplateVariables() {}

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*}");
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  /** One field holding placeholders. */
  record Found(String field, List<String> variables) {
    String message() {
      return "unsubstituted template variable" + (variables.size() > 1 ? "s " : " ") + String.join(", ", variables)
          + "; substitute " + (variables.size() > 1 ? "them" : "it") + " first, e.g. with envsubst";
    }
  }

  /**
   * Every field of {@code doc} (keys included) holding a placeholder, in document order, except
   * under the paths in {@code skip} (e.g. shell commands that Flagger's load tester expands itself).
   */
  static List<Found> find(JsonNode doc, Set<String> skip) {
    List<Found> out = new ArrayList<>();
    walk(doc, "", skip, out);
    return out;
  }

  private static void walk(JsonNode n, String path, Set<String> skip, List<Found> out) {
    if (skip.contains(path)) {
      return;
    }
    if (n.isString()) {
      List<String> vars = variables(n.stringValue());
      if (!vars.isEmpty()) {
        out.add(new Found(path, vars));
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        walk(n.get(i), path + "[" + i + "]", skip, out);
      }
    } else if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String at = join(path, e.getKey());
        List<String> inKey = variables(e.getKey());
        if (!inKey.isEmpty()) {
          out.add(new Found(at, inKey));
        }
        walk(e.getValue(), at, skip, out);
      }
    }
  }

  private static String join(String path, String key) {
    if (!SIMPLE_KEY.matcher(key).matches()) {
      return path + "[\"" + key + "\"]";
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  private static List<String> variables(String s) {
    if (s.indexOf("${") < 0) {
      return List.of();
    }
    Set<String> found = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(s);
    while (m.find()) {
      found.add(m.group());
    }
    return List.copyOf(found);
  }
}
