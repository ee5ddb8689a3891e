package io.appmeshxds.server.configdump;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Redacts a message as Envoy's admin handler does before printing a config dump: in every field
 * marked {@code (udpa.annotations.sensitive)}, and everything below it, strings and bytes become
 * {@code "[redacted]"} and other scalars are cleared; {@code Any} payloads are unpacked, redacted
 * and packed again. Also records every type packed in an {@code Any} it walked through, so the
 * printer can be given exactly the types it needs.
 */
final class Redaction {
  static final String REDACTED = "[redacted]";
  private static final String ANY = "google.protobuf.Any";

  private final Set<Descriptor> anyTypes = new LinkedHashSet<>();

  /** Types met inside {@code Any} fields so far. */
  Set<Descriptor> anyTypes() {
    return anyTypes;
  }

  /** {@code m} with sensitive values redacted; {@code m} itself when there was nothing to redact. */
  Message redact(Message m) {
    return redact(m, false);
  }

  private Message redact(Message m, boolean sensitive) {
    if (m.getDescriptorForType().getFullName().equals(ANY)) {
      return redactAny(m, sensitive);
    }
    Message.Builder b = null;
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      boolean s = sensitive || EnvoyTypes.sensitive(f);
      Object v = e.getValue();
      Object redacted = f.isRepeated() ? redactList(f, (List<?>) v, s) : redactValue(f, v, s);
      if (redacted != v) {
        if (b == null) {
          b = m.toBuilder();
        }
        if (redacted == null) {
          b.clearField(f);
        } else {
          b.setField(f, redacted);
        }
      }
    }
    return b == null ? m : b.build();
  }

  private Object redactList(FieldDescriptor f, List<?> values, boolean sensitive) {
    List<Object> out = null;
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      Object r = redactValue(f, v, sensitive);
      if (r != v && out == null) {
        out = new ArrayList<>(values.subList(0, i));
      }
      if (out != null && r != null) {
        out.add(r);
      }
    }
    if (out == null) {
      return values;
    }
    return out.isEmpty() ? null : out;
  }

  /** One value: a message is walked; under a sensitive field, strings/bytes are replaced, other scalars dropped (null). */
  private Object redactValue(FieldDescriptor f, Object v, boolean sensitive) {
    return switch (f.getJavaType()) {
      case MESSAGE -> redact((Message) v, sensitive);
      case STRING -> sensitive ? REDACTED : v;
      case BYTE_STRING -> sensitive ? ByteString.copyFromUtf8(REDACTED) : v;
      default -> sensitive ? null : v;
    };
  }

  private Message redactAny(Message any, boolean sensitive) {
    Descriptor d = any.getDescriptorForType();
    String url = (String) any.getField(d.findFieldByName("type_url"));
    ByteString value = (ByteString) any.getField(d.findFieldByName("value"));
    Descriptor type = EnvoyTypes.find(url);
    if (type == null) {
      // Not ours to interpret: keep it, unless it sits under a sensitive field.
      return sensitive ? any.toBuilder().setField(d.findFieldByName("value"), ByteString.EMPTY).build() : any;
    }
    anyTypes.add(type);
    Message payload;
    try {
      payload = DynamicMessage.parseFrom(type, value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot read an Any of type " + url + " that this process packed", e);
    }
    Message redacted = redact(payload, sensitive);
    if (redacted == payload) {
      return any;
    }
    return any.toBuilder().setField(d.findFieldByName("value"), redacted.toByteString()).build();
  }
}
