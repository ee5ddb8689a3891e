package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.LinkedHashSet;
import java.util.Set;

/** Compiles {@code FieldRules} into {@link ValueCheck}s, choosing by the value's proto type. */
final class Checks {

  private static final Set<String> WRAPPERS = Set.of(
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
      "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
      "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue");

  private Checks() {}

  /**
   * The check for one value of {@code field} (its element for repeated fields), or null when
   * nothing needs checking. {@code rules} may be null: message values are still walked.
   */
  static ValueCheck forValue(FieldDescriptor field, FieldRules rules) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return forMessage(field.getMessageType(), rules);
    }
    return rules == null ? null : forScalar(field, rules);
  }

  /**
   * Whether the rules make a singular message field mandatory: {@code message.required} or the
   * {@code required} of the Any/Duration/Timestamp rules. Returns the rule's name, or null.
   */
  static String requiredRule(FieldRules rules) {
    if (rules == null) {
      return null;
    }
    if (rules.getMessage().getRequired()) {
      return "message.required";
    }
    if (rules.hasAny() && rules.getAny().getRequired()) {
      return "any.required";
    }
    if (rules.hasDuration() && rules.getDuration().getRequired()) {
      return "duration.required";
    }
    if (rules.hasTimestamp() && rules.getTimestamp().getRequired()) {
      return "timestamp.required";
    }
    return null;
  }

  private static ValueCheck forScalar(FieldDescriptor field, FieldRules rules) {
    return switch (field.getJavaType()) {
      case STRING -> rules.hasString() ? StringCheck.of(rules.getString()) : null;
      case BYTE_STRING -> rules.hasBytes() ? BytesCheck.of(rules.getBytes()) : null;
      case ENUM -> rules.hasEnum() ? EnumCheck.of(field.getEnumType(), rules.getEnum()) : null;
      case BOOLEAN -> rules.hasBool() && rules.getBool().hasConst()
          ? new BoolCheck(rules.getBool().getConst()) : null;
      default -> NumberCheck.of(rules);
    };
  }

  private static ValueCheck forMessage(Descriptor type, FieldRules rules) {
    boolean skip = rules != null && rules.getMessage().getSkip();
    String name = type.getFullName();
    if (name.equals(Walker.ANY_TYPE)) {
      return AnyCheck.of(rules != null && rules.hasAny() ? rules.getAny() : null, !skip);
    }
    if (name.equals("google.protobuf.Duration")) {
      return rules != null && rules.hasDuration() ? TimeChecks.duration(rules.getDuration()) : null;
    }
    if (name.equals("google.protobuf.Timestamp")) {
      return rules != null && rules.hasTimestamp() ? TimeChecks.timestamp(rules.getTimestamp()) : null;
    }
    if (rules != null && WRAPPERS.contains(name)) {
      ValueCheck inner = forScalar(type.findFieldByNumber(1), rules);
      return inner == null ? null : new WrapperCheck(inner);
    }
    return skip || !MessagePlan.relevant(type) ? null : MessageCheck.INSTANCE;
  }

  /** Walks a set sub-message. */
  private enum MessageCheck implements ValueCheck {
    INSTANCE;

    @Override
    public boolean check(Object value, Walker walker) {
      walker.walk((Message) value);
      return true;
    }
  }

  /** Applies scalar rules to the {@code value} of a set wrapper ({@code UInt32Value} …). */
  private record WrapperCheck(ValueCheck inner) implements ValueCheck {
    @Override
    public boolean check(Object value, Walker walker) {
      Message wrapper = (Message) value;
      return inner.check(wrapper.getField(wrapper.getDescriptorForType().findFieldByNumber(1)), walker);
    }
  }

  /** {@code bool.const}. */
  private record BoolCheck(boolean expected) implements ValueCheck {
    @Override
    public boolean check(Object value, Walker walker) {
      if ((Boolean) value != expected) {
        walker.report("bool.const", "value must equal " + expected);
        return false;
      }
      return true;
    }
  }

  /** {@code any.in} / {@code any.not_in} on the type URL, then the unpacked payload. */
  private record AnyCheck(Set<String> in, Set<String> notIn, boolean unpack) implements ValueCheck {

    static ValueCheck of(AnyRules rules, boolean unpack) {
      Set<String> in = rules == null ? Set.of() : new LinkedHashSet<>(rules.getInList());
      Set<String> notIn = rules == null ? Set.of() : new LinkedHashSet<>(rules.getNotInList());
      if (in.isEmpty() && notIn.isEmpty() && !unpack) {
        return null;
      }
      return new AnyCheck(in, notIn, unpack);
    }

    @Override
    public boolean check(Object value, Walker walker) {
      Message any = (Message) value;
      String typeUrl = Walker.typeUrl(any);
      if (!in.isEmpty() && !in.contains(typeUrl)) {
        walker.report("any.in", "type URL must be in list " + Text.list(in, Text::quote));
        return false;
      }
      if (notIn.contains(typeUrl)) {
        walker.report("any.not_in", "type URL must not be in list " + Text.list(notIn, Text::quote));
        return false;
      }
      if (unpack) {
        walker.unpack(any);
      }
      return true;
    }
  }
}
