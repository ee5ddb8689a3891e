package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import java.util.LinkedHashSet;
import java.util.Set;

/** Enum rules: {@code const}, {@code in}, {@code not_in}, {@code defined_only}; values are numbers. */
final class EnumCheck implements ValueCheck {

  private final EnumDescriptor type;
  private final Integer constant;
  private final Set<Integer> in;
  private final Set<Integer> notIn;
  private final boolean definedOnly;

  private EnumCheck(EnumDescriptor type, EnumRules r) {
    this.type = type;
    this.constant = r.hasConst() ? r.getConst() : null;
    this.in = new LinkedHashSet<>(r.getInList());
    this.notIn = new LinkedHashSet<>(r.getNotInList());
    this.definedOnly = r.getDefinedOnly();
  }

  static ValueCheck of(EnumDescriptor type, EnumRules rules) {
    return new EnumCheck(type, rules);
  }

  @Override
  public boolean check(Object value, Walker w) {
    int number = value instanceof EnumValueDescriptor v ? v.getNumber() : (Integer) value;
    if (constant != null && number != constant) {
      w.report("enum.const", "value must equal " + spell(constant));
      return false;
    }
    if (!in.isEmpty() && !in.contains(number)) {
      w.report("enum.in", "value must be in list " + Text.list(in, this::spell));
      return false;
    }
    if (notIn.contains(number)) {
      w.report("enum.not_in", "value must not be in list " + Text.list(notIn, this::spell));
      return false;
    }
    if (definedOnly && type.findValueByNumber(number) == null) {
      w.report("enum.defined_only", "value must be one of the defined enum values (got " + number
          + " for " + type.getFullName() + ")");
      return false;
    }
    return true;
  }

  private String spell(int number) {
    EnumValueDescriptor v = type.findValueByNumber(number);
    return v == null ? Integer.toString(number) : v.getName();
  }
}
