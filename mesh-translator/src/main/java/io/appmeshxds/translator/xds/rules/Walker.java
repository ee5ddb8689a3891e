package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run over one message tree: the path to the value being checked (kept as a stack and only
 * turned into text when something is reported) and the violations found so far.
 */
final class Walker {

  private static final byte FIELD = 0;
  private static final byte INDEX = 1;
  private static final byte KEY = 2;
  private static final byte TYPE = 3;

  static final String ANY_TYPE = "google.protobuf.Any";

  private final boolean strict;
  private final Instant now;
  /** The checked message's type: its file's imports resolve {@code Any} payloads too. */
  private final Descriptor root;
  private final List<Violation> violations = new ArrayList<>();
  private Object[] segments = new Object[16];
  private int[] indexes = new int[16];
  private byte[] kinds = new byte[16];
  private int depth;
  private String rulePrefix = "";

  /**
   * @param strict report {@code Any} payloads whose type is unknown instead of skipping them
   * @param now what {@code timestamp.lt_now}/{@code gt_now}/{@code within} compare with; null when
   *     the caller gave no time (those rules then fail, see {@link TimeChecks})
   * @param root the checked message's type
   */
  Walker(boolean strict, Instant now, Descriptor root) {
    this.strict = strict;
    this.now = now;
    this.root = root;
  }

  /** The caller's "now", the same for the whole run; null when none was given. */
  Instant now() {
    return now;
  }

  List<Violation> violations() {
    return violations;
  }

  /** Checks {@code message} and, through its plan, everything set below it. */
  void walk(Message message) {
    Descriptor type = message.getDescriptorForType();
    if (type.getFullName().equals(ANY_TYPE)) {
      unpack(message);
      return;
    }
    MessagePlan plan = MessagePlan.of(type);
    if (plan.skipped()) {
      return;
    }
    for (FieldPlan field : plan.fields()) {
      pushField(field.name());
      field.run(message, this);
      pop();
    }
    for (OneofDescriptor oneof : plan.requiredOneofs()) {
      if (!message.hasOneof(oneof)) {
        pushField(oneof.getName());
        report("oneof.required", "exactly one field is required in oneof \"" + oneof.getName() + "\"");
        pop();
      }
    }
  }

  /** Resolves the packed type, parses the payload and walks it; see {@link TypeRegistry}. */
  void unpack(Message any) {
    String typeUrl = typeUrl(any);
    Message prototype = TypeRegistry.prototype(typeUrl, root);
    if (prototype == null) {
      if (strict) {
        report("any.type", "unknown type \"" + typeUrl + "\" cannot be validated");
      }
      return;
    }
    Descriptor type = prototype.getDescriptorForType();
    // Parsed even when the type holds no rules: Envoy rejects a payload it cannot decode.
    Message unpacked;
    try {
      unpacked = prototype.getParserForType().parseFrom(payload(any));
    } catch (InvalidProtocolBufferException e) {
      report("any.unpack", "value cannot be unpacked as " + type.getFullName() + ": " + e.getMessage());
      return;
    }
    pushType(type.getName());
    walk(unpacked);
    pop();
  }

  /** The {@code type_url} of a generated or dynamic {@code google.protobuf.Any}. */
  static String typeUrl(Message any) {
    if (any instanceof Any generated) {
      return generated.getTypeUrl();
    }
    return (String) any.getField(
        any.getDescriptorForType().findFieldByNumber(Any.TYPE_URL_FIELD_NUMBER));
  }

  private static ByteString payload(Message any) {
    if (any instanceof Any generated) {
      return generated.getValue();
    }
    return (ByteString) any.getField(
        any.getDescriptorForType().findFieldByNumber(Any.VALUE_FIELD_NUMBER));
  }

  /** Reports a violation of {@code rule} at the current path. */
  void report(String rule, String message) {
    violations.add(new Violation(path(), rulePrefix + rule, message));
  }

  /** Runs {@code check} on a map key: rules reported meanwhile are prefixed with {@code keys.}. */
  boolean checkKey(ValueCheck check, Object key) {
    String saved = rulePrefix;
    rulePrefix = saved + "keys.";
    try {
      return check.check(key, this);
    } finally {
      rulePrefix = saved;
    }
  }

  void pushField(String name) {
    push(FIELD, name, 0);
  }

  void pushIndex(int index) {
    push(INDEX, null, index);
  }

  void pushKey(Object key) {
    push(KEY, key, 0);
  }

  void pushType(String simpleName) {
    push(TYPE, simpleName, 0);
  }

  void pop() {
    segments[--depth] = null;
  }

  private void push(byte kind, Object segment, int index) {
    if (depth == kinds.length) {
      int size = depth * 2;
      segments = Arrays.copyOf(segments, size);
      indexes = Arrays.copyOf(indexes, size);
      kinds = Arrays.copyOf(kinds, size);
    }
    kinds[depth] = kind;
    segments[depth] = segment;
    indexes[depth] = index;
    depth++;
  }

  String path() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      switch (kinds[i]) {
        case FIELD -> {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append((String) segments[i]);
        }
        case INDEX -> sb.append('[').append(indexes[i]).append(']');
        case KEY -> sb.append('[').append(Text.mapKey(segments[i])).append(']');
        default -> {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append('(').append((String) segments[i]).append(')');
        }
      }
    }
    return sb.toString();
  }
}
