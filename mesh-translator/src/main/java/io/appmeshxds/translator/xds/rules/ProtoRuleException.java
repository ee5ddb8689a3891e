package io.appmeshxds.translator.xds.rules;

import java.util.List;

/**
 * Thrown by {@link ProtoRules#requireValid} when a message breaks Envoy's {@code validate.rules}; the
 * exception message lists every violation, one per line.
 */
public final class ProtoRuleException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  /**
   * @param typeName full proto name of the checked message
   * @param violations what is wrong; must not be empty
   */
  public ProtoRuleException(String typeName, List<Violation> violations) {
    super(describe(typeName, violations));
    this.violations = List.copyOf(violations);
  }

  /** Every violation found, in the order the message was walked. */
  public List<Violation> violations() {
    return violations;
  }

  private static String describe(String typeName, List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    sb.append(typeName).append(" breaks ").append(violations.size())
        .append(violations.size() == 1 ? " proto rule:" : " proto rules:");
    for (Violation v : violations) {
      sb.append("\n  ").append(v);
    }
    return sb.toString();
  }
}
