package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import java.util.HashSet;
import java.util.Set;

/**
 * How one field of a message is checked: presence ({@code required}, oneof membership), sizes for
 * repeated and map fields, and the {@link ValueCheck} for each value. The walker has already pushed
 * the field's name onto the path.
 */
abstract class FieldPlan {

  protected final FieldDescriptor field;

  private FieldPlan(FieldDescriptor field) {
    this.field = field;
  }

  String name() {
    return field.getName();
  }

  abstract void run(Message message, Walker walker);

  /** The plan for {@code field}, or null when nothing about it needs checking. */
  static FieldPlan of(FieldDescriptor field) {
    FieldRules rules = RuleOptions.fieldRules(field);
    if (field.isMapField()) {
      return MapField.of(field, rules);
    }
    if (field.isRepeated()) {
      return RepeatedField.of(field, rules);
    }
    ValueCheck check = Checks.forValue(field, rules);
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      String required = Checks.requiredRule(rules);
      return check == null && required == null ? null : new MessageField(field, check, required);
    }
    return check == null ? null : new ScalarField(field, check);
  }

  /**
   * A singular scalar: its rules apply to the value even when it is the default, except for oneof
   * members and proto3 {@code optional} fields, which are checked only when set.
   */
  private static final class ScalarField extends FieldPlan {
    private final ValueCheck check;
    private final boolean onlyWhenSet;

    ScalarField(FieldDescriptor field, ValueCheck check) {
      super(field);
      this.check = check;
      this.onlyWhenSet = field.getContainingOneof() != null;
    }

    @Override
    void run(Message message, Walker walker) {
      if (onlyWhenSet && !message.hasField(field)) {
        return;
      }
      check.check(message.getField(field), walker);
    }
  }

  /** A singular message: {@code required}, then its rules and sub-fields when set. */
  private static final class MessageField extends FieldPlan {
    private final ValueCheck check;
    private final String requiredRule;

    MessageField(FieldDescriptor field, ValueCheck check, String requiredRule) {
      super(field);
      this.check = check;
      // A oneof member is only looked at when it is the member set (the oneof has its own rule).
      this.requiredRule = field.getRealContainingOneof() == null ? requiredRule : null;
    }

    @Override
    void run(Message message, Walker walker) {
      if (!message.hasField(field)) {
        if (requiredRule != null) {
          walker.report(requiredRule, "value is required");
        }
        return;
      }
      if (check != null) {
        check.check(message.getField(field), walker);
      }
    }
  }

  /** {@code min_items}, {@code max_items}, {@code unique}, {@code ignore_empty}, then each item. */
  private static final class RepeatedField extends FieldPlan {
    private final long minItems;
    private final long maxItems;
    private final boolean unique;
    private final boolean ignoreEmpty;
    private final ValueCheck items;

    private RepeatedField(FieldDescriptor field, RepeatedRules r, ValueCheck items) {
      super(field);
      this.minItems = r.hasMinItems() ? r.getMinItems() : Lengths.UNSET;
      this.maxItems = r.hasMaxItems() ? r.getMaxItems() : Lengths.UNSET;
      this.unique = r.getUnique() && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE;
      this.ignoreEmpty = r.getIgnoreEmpty();
      this.items = items;
    }

    static FieldPlan of(FieldDescriptor field, FieldRules rules) {
      RepeatedRules r = rules != null && rules.hasRepeated()
          ? rules.getRepeated() : RepeatedRules.getDefaultInstance();
      ValueCheck items = Checks.forValue(field, r.hasItems() ? r.getItems() : null);
      boolean sized = r.hasMinItems() || r.hasMaxItems() || r.getUnique();
      return items == null && !sized ? null : new RepeatedField(field, r, items);
    }

    @Override
    void run(Message message, Walker walker) {
      int count = message.getRepeatedFieldCount(field);
      if (count == 0 && ignoreEmpty) {
        return;
      }
      Lengths.checkCount(walker, "repeated", count, minItems, maxItems, "item", "min_items",
          "max_items");
      if (items == null && !unique) {
        return;
      }
      Set<Object> seen = unique ? new HashSet<>() : null;
      for (int i = 0; i < count; i++) {
        Object item = message.getRepeatedField(field, i);
        walker.pushIndex(i);
        if (seen != null && !seen.add(uniqueKey(item))) {
          walker.report("repeated.unique", "repeated value must contain unique items");
        } else if (items != null) {
          items.check(item, walker);
        }
        walker.pop();
      }
    }

    /** Equality as in C++: enums by number, -0.0 equal to 0.0. */
    private static Object uniqueKey(Object item) {
      if (item instanceof EnumValueDescriptor e) {
        return e.getNumber();
      }
      if (item instanceof Double d && d == 0) {
        return 0.0;
      }
      if (item instanceof Float f && f == 0) {
        return 0.0f;
      }
      return item;
    }
  }

  /** {@code min_pairs}, {@code max_pairs}, {@code no_sparse}, {@code ignore_empty}, then keys and values. */
  private static final class MapField extends FieldPlan {
    private final long minPairs;
    private final long maxPairs;
    private final boolean noSparse;
    private final boolean ignoreEmpty;
    private final FieldDescriptor keyField;
    private final FieldDescriptor valueField;
    private final ValueCheck keys;
    private final ValueCheck values;

    private MapField(FieldDescriptor field, MapRules r, ValueCheck keys, ValueCheck values) {
      super(field);
      this.minPairs = r.hasMinPairs() ? r.getMinPairs() : Lengths.UNSET;
      this.maxPairs = r.hasMaxPairs() ? r.getMaxPairs() : Lengths.UNSET;
      this.keyField = field.getMessageType().findFieldByNumber(1);
      this.valueField = field.getMessageType().findFieldByNumber(2);
      this.noSparse = r.getNoSparse() && valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      this.ignoreEmpty = r.getIgnoreEmpty();
      this.keys = keys;
      this.values = values;
    }

    static FieldPlan of(FieldDescriptor field, FieldRules rules) {
      MapRules r = rules != null && rules.hasMap() ? rules.getMap() : MapRules.getDefaultInstance();
      FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
      FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
      ValueCheck keys = r.hasKeys() ? Checks.forValue(keyField, r.getKeys()) : null;
      ValueCheck values = Checks.forValue(valueField, r.hasValues() ? r.getValues() : null);
      boolean sized = r.hasMinPairs() || r.hasMaxPairs() || r.getNoSparse();
      return keys == null && values == null && !sized ? null : new MapField(field, r, keys, values);
    }

    @Override
    void run(Message message, Walker walker) {
      int count = message.getRepeatedFieldCount(field);
      if (count == 0 && ignoreEmpty) {
        return;
      }
      Lengths.checkCount(walker, "map", count, minPairs, maxPairs, "pair", "min_pairs", "max_pairs");
      if (keys == null && values == null && !noSparse) {
        return;
      }
      for (int i = 0; i < count; i++) {
        Message entry = (Message) message.getRepeatedField(field, i);
        Object key = entry.getField(keyField);
        walker.pushKey(key);
        if (keys != null) {
          walker.checkKey(keys, key);
        }
        // protobuf-java fills a missing map value with the default instance (C++ too, which is why
        // Envoy's validators leave no_sparse unimplemented); this only fires for a Message
        // implementation that keeps the absence visible.
        if (noSparse && !entry.hasField(valueField)) {
          walker.report("map.no_sparse", "value cannot be sparse, all pairs must be non-nil");
        } else if (values != null) {
          values.check(entry.getField(valueField), walker);
        }
        walker.pop();
      }
    }
  }
}
