package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code const}, {@code lt}/{@code lte}/{@code gt}/{@code gte}, {@code in}, {@code not_in} and
 * {@code ignore_empty} for all twelve numeric rule kinds. Every numeric rule message has the same
 * field numbers, so one compiler reads them all; values are widened to {@code long} (unsigned
 * 32-bit ones zero-extended, unsigned 64-bit ones compared unsigned) or {@code double}.
 */
final class NumberCheck implements ValueCheck {

  private static final int CONST = 1;
  private static final int LT = 2;
  private static final int LTE = 3;
  private static final int GT = 4;
  private static final int GTE = 5;
  private static final int IN = 6;
  private static final int NOT_IN = 7;
  private static final int IGNORE_EMPTY = 8;

  /** How a kind's values are widened, ordered and spelled. */
  private enum Kind {
    SIGNED, UNSIGNED32, UNSIGNED64, FLOAT, DOUBLE;

    Number widen(Object v) {
      return switch (this) {
        case SIGNED -> ((Number) v).longValue();
        case UNSIGNED32 -> v instanceof Integer i ? Integer.toUnsignedLong(i) : ((Number) v).longValue();
        case UNSIGNED64 -> ((Number) v).longValue();
        case FLOAT, DOUBLE -> {
          double d = ((Number) v).doubleValue();
          yield d == 0 ? 0.0 : d; // -0.0 equals 0.0, as in C++
        }
      };
    }

    Comparator<Number> order() {
      return switch (this) {
        case SIGNED, UNSIGNED32 -> (a, b) -> Long.compare(a.longValue(), b.longValue());
        case UNSIGNED64 -> (a, b) -> Long.compareUnsigned(a.longValue(), b.longValue());
        case FLOAT, DOUBLE -> (a, b) -> {
          double x = a.doubleValue();
          double y = b.doubleValue();
          return x < y ? -1 : x > y ? 1 : 0;
        };
      };
    }

    Function<Number, String> spelling() {
      return switch (this) {
        case SIGNED, UNSIGNED32 -> n -> Long.toString(n.longValue());
        case UNSIGNED64 -> n -> Long.toUnsignedString(n.longValue());
        case FLOAT -> n -> Text.number(n.floatValue());
        case DOUBLE -> n -> Text.number(n.doubleValue());
      };
    }
  }

  private final String name;
  private final Kind kind;
  private final Comparator<Number> order;
  private final Function<Number, String> spell;
  private final boolean ignoreEmpty;
  private final Number constant;
  private final Bounds<Number> bounds;
  private final List<Number> in;
  private final Set<Number> inSet;
  private final List<Number> notIn;
  private final Set<Number> notInSet;

  private NumberCheck(String name, Kind kind, Message rules) {
    this.name = name;
    this.kind = kind;
    this.order = kind.order();
    this.spell = kind.spelling();
    Descriptor d = rules.getDescriptorForType();
    this.ignoreEmpty = (Boolean) rules.getField(d.findFieldByNumber(IGNORE_EMPTY));
    this.constant = optional(rules, CONST);
    this.bounds = new Bounds<>(name, order, spell,
        optional(rules, LT), optional(rules, LTE), optional(rules, GT), optional(rules, GTE));
    this.in = repeated(rules, IN);
    this.inSet = new HashSet<>(in);
    this.notIn = repeated(rules, NOT_IN);
    this.notInSet = new HashSet<>(notIn);
  }

  /** The check for a numeric rule kind, or null when {@code rules} holds another kind. */
  static ValueCheck of(FieldRules rules) {
    Kind kind = switch (rules.getTypeCase()) {
      case INT32, INT64, SINT32, SINT64, SFIXED32, SFIXED64 -> Kind.SIGNED;
      case UINT32, FIXED32 -> Kind.UNSIGNED32;
      case UINT64, FIXED64 -> Kind.UNSIGNED64;
      case FLOAT -> Kind.FLOAT;
      case DOUBLE -> Kind.DOUBLE;
      default -> null;
    };
    if (kind == null) {
      return null;
    }
    int number = rules.getTypeCase().getNumber();
    Message typed = (Message) rules.getField(rules.getDescriptorForType().findFieldByNumber(number));
    String name = rules.getTypeCase().name().toLowerCase(Locale.ROOT);
    return new NumberCheck(name, kind, typed);
  }

  @Override
  public boolean check(Object value, Walker walker) {
    Number v = kind.widen(value);
    if (ignoreEmpty && isZero(v)) {
      return true;
    }
    if (constant != null && (isNaN(v) || order.compare(v, constant) != 0)) {
      walker.report(name + ".const", "value must equal " + spell.apply(constant));
      return false;
    }
    if (!isNaN(v) && !bounds.check(v, walker)) {
      return false;
    }
    if (!inSet.isEmpty() && !inSet.contains(v)) {
      walker.report(name + ".in", "value must be in list " + Text.list(in, spell));
      return false;
    }
    if (notInSet.contains(v)) {
      walker.report(name + ".not_in", "value must not be in list " + Text.list(notIn, spell));
      return false;
    }
    return true;
  }

  private static boolean isZero(Number v) {
    return v instanceof Double d ? d == 0 : v.longValue() == 0;
  }

  /** NaN compares false with everything, so (as in Envoy) no bound rejects it. */
  private static boolean isNaN(Number v) {
    return v instanceof Double d && d.isNaN();
  }

  private Number optional(Message rules, int number) {
    var field = rules.getDescriptorForType().findFieldByNumber(number);
    return rules.hasField(field) ? kind.widen(rules.getField(field)) : null;
  }

  private List<Number> repeated(Message rules, int number) {
    var field = rules.getDescriptorForType().findFieldByNumber(number);
    int n = rules.getRepeatedFieldCount(field);
    List<Number> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      values.add(kind.widen(rules.getRepeatedField(field, i)));
    }
    return List.copyOf(values);
  }
}
