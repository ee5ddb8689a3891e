package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * A proto file built at run time, message by message, each with the rules a test needs. Its
 * descriptor goes through bytes without an extension registry, the way descriptors loaded at run
 * time arrive: the {@code validate} options are then unknown fields, not resolved extensions.
 */
final class SyntheticProtos {

  static final String PACKAGE = "ruletest";

  private final FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
      .setName("ruletest/synthetic.proto")
      .setPackage(PACKAGE)
      .setSyntax("proto3")
      .addDependency(Validate.getDescriptor().getName())
      .addDependency(AnyProto.getDescriptor().getName())
      .addDependency(DurationProto.getDescriptor().getName())
      .addDependency(TimestampProto.getDescriptor().getName())
      .addDependency(WrappersProto.getDescriptor().getName());

  private FileDescriptor built;

  /** A message named {@code name} with one field {@code v} (number 1). */
  SyntheticProtos single(String name, Type type, String typeName, Label label, FieldRules.Builder rules) {
    DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
    message.addField(field("v", 1, type, typeName, label, rules));
    file.addMessageType(message);
    return this;
  }

  SyntheticProtos single(String name, Type type, FieldRules.Builder rules) {
    return single(name, type, null, Label.LABEL_OPTIONAL, rules);
  }

  SyntheticProtos message(DescriptorProto.Builder message) {
    file.addMessageType(message);
    return this;
  }

  SyntheticProtos enumType(String name, String... values) {
    EnumDescriptorProto.Builder e = EnumDescriptorProto.newBuilder().setName(name);
    for (int i = 0; i < values.length; i++) {
      e.addValue(EnumValueDescriptorProto.newBuilder().setName(values[i]).setNumber(i));
    }
    file.addEnumType(e);
    return this;
  }

  /** A {@code map<K, V>} field {@code v} with its entry type, on a message named {@code name}. */
  SyntheticProtos map(String name, Type keyType, Type valueType, String valueTypeName,
      FieldRules.Builder rules) {
    DescriptorProto.Builder entry = DescriptorProto.newBuilder().setName("VEntry")
        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .addField(field("key", 1, keyType, null, Label.LABEL_OPTIONAL, null))
        .addField(field("value", 2, valueType, valueTypeName, Label.LABEL_OPTIONAL, null));
    file.addMessageType(DescriptorProto.newBuilder().setName(name).addNestedType(entry)
        .addField(field("v", 1, Type.TYPE_MESSAGE, "." + PACKAGE + "." + name + ".VEntry",
            Label.LABEL_REPEATED, rules)));
    return this;
  }

  static FieldDescriptorProto.Builder field(String name, int number, Type type, String typeName,
      Label label, FieldRules.Builder rules) {
    FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder()
        .setName(name).setNumber(number).setType(type).setLabel(label).setJsonName(name);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    if (rules != null) {
      f.setOptions(FieldOptions.newBuilder().setExtension(Validate.rules, rules.build()));
    }
    return f;
  }

  static OneofDescriptorProto.Builder oneof(String name, boolean required) {
    OneofDescriptorProto.Builder o = OneofDescriptorProto.newBuilder().setName(name);
    if (required) {
      o.setOptions(OneofOptions.newBuilder().setExtension(Validate.required, true));
    }
    return o;
  }

  Descriptor type(String name) {
    if (built == null) {
      try {
        FileDescriptorProto reparsed = FileDescriptorProto.parseFrom(file.build().toByteString());
        built = FileDescriptor.buildFrom(reparsed, new FileDescriptor[] {
            Validate.getDescriptor(), AnyProto.getDescriptor(), DurationProto.getDescriptor(),
            TimestampProto.getDescriptor(), WrappersProto.getDescriptor()});
      } catch (InvalidProtocolBufferException | DescriptorValidationException e) {
        throw new IllegalStateException(e);
      }
    }
    Descriptor d = built.findMessageTypeByName(name);
    if (d == null) {
      throw new IllegalArgumentException("no message " + name);
    }
    return d;
  }
}
