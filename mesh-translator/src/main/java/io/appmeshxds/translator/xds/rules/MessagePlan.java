package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to check on messages of one type, built once per descriptor and cached: only the fields
 * that carry rules or lead (possibly through several levels or an {@code Any}) to fields that do.
 * A field without rules whose type holds no rules costs nothing at check time.
 */
final class MessagePlan {

  // Why static: memos of pure functions of immutable descriptors, bounded by the types checked;
  // ArchitectureTest allows them by name.
  private static final ConcurrentHashMap<Descriptor, MessagePlan> PLANS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Descriptor, Boolean> RELEVANT = new ConcurrentHashMap<>();
  private static final MessagePlan SKIPPED =
      new MessagePlan(true, new FieldPlan[0], new OneofDescriptor[0]);

  private final boolean skipped;
  private final FieldPlan[] fields;
  private final OneofDescriptor[] requiredOneofs;

  private MessagePlan(boolean skipped, FieldPlan[] fields, OneofDescriptor[] requiredOneofs) {
    this.skipped = skipped;
    this.fields = fields;
    this.requiredOneofs = requiredOneofs;
  }

  /** The cached plan for {@code type}. */
  static MessagePlan of(Descriptor type) {
    MessagePlan plan = PLANS.get(type);
    if (plan == null) {
      // Not computeIfAbsent: building a plan looks at other types' relevance, never their plans,
      // but a racing duplicate build is harmless and keeps the map free of nested updates.
      plan = build(type);
      MessagePlan raced = PLANS.putIfAbsent(type, plan);
      if (raced != null) {
        plan = raced;
      }
    }
    return plan;
  }

  /** Messages marked {@code (validate.disabled)} or {@code (validate.ignored)} are not checked. */
  boolean skipped() {
    return skipped;
  }

  /** The fields to visit, in declaration order. Not to be modified. */
  FieldPlan[] fields() {
    return fields;
  }

  /** Oneofs marked {@code (validate.required)}. Not to be modified. */
  OneofDescriptor[] requiredOneofs() {
    return requiredOneofs;
  }

  private static MessagePlan build(Descriptor type) {
    if (RuleOptions.messageSkipped(type)) {
      return SKIPPED;
    }
    List<FieldPlan> fields = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      FieldPlan plan = FieldPlan.of(field);
      if (plan != null) {
        fields.add(plan);
      }
    }
    List<OneofDescriptor> oneofs = new ArrayList<>();
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      if (RuleOptions.oneofRequired(oneof)) {
        oneofs.add(oneof);
      }
    }
    return new MessagePlan(false, fields.toArray(new FieldPlan[0]),
        oneofs.toArray(new OneofDescriptor[0]));
  }

  /**
   * Whether checking a message of {@code type} can find anything: the type, or a type reachable
   * through its message fields, has a rule, a required oneof or an {@code Any} to unpack.
   */
  static boolean relevant(Descriptor type) {
    Boolean known = RELEVANT.get(type);
    if (known == null) {
      known = search(type);
      RELEVANT.putIfAbsent(type, known);
    }
    return known;
  }

  /** Depth-first over the message-typed fields; cycles end at types already seen. */
  private static boolean search(Descriptor root) {
    Set<Descriptor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Descriptor> todo = new ArrayDeque<>();
    seen.add(root);
    todo.push(root);
    while (!todo.isEmpty()) {
      Descriptor type = todo.pop();
      if (type.getFullName().equals(Walker.ANY_TYPE)) {
        return true;
      }
      Boolean known = type == root ? null : RELEVANT.get(type);
      if (known != null) {
        if (known) {
          return true;
        }
        continue;
      }
      if (RuleOptions.messageSkipped(type)) {
        continue;
      }
      for (OneofDescriptor oneof : type.getRealOneofs()) {
        if (RuleOptions.oneofRequired(oneof)) {
          return true;
        }
      }
      for (FieldDescriptor field : type.getFields()) {
        FieldRules rules = RuleOptions.fieldRules(field);
        if (rules != null) {
          return true;
        }
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && seen.add(field.getMessageType())) {
          todo.push(field.getMessageType());
        }
      }
    }
    return false;
  }
}
