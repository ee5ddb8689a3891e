package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selector. App Mesh semantics: absent (null) selects nothing, present but empty
 * selects everything.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  public LabelSelector {
    matchLabels = Lists.copy(matchLabels);
    matchExpressions = Lists.copy(matchExpressions);
  }

  /** One {@code matchExpressions} entry. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Requirement(@Required String key, @Required Operator operator, List<String> values) {
    public Requirement {
      values = Lists.copy(values);
    }
  }

  /** Set-based operators. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  public static LabelSelector matching(Map<String, String> labels) {
    return new LabelSelector(labels, List.of());
  }

  /** Whether labels satisfy every term (an empty selector matches everything). */
  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      String v = labels.get(r.key());
      boolean ok =
          switch (r.operator()) {
            case In -> v != null && r.values().contains(v);
            case NotIn -> v == null || !r.values().contains(v);
            case Exists -> labels.containsKey(r.key());
            case DoesNotExist -> !labels.containsKey(r.key());
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
