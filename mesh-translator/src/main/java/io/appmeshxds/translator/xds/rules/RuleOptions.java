package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;

/**
 * Reads the {@code validate.*} options off descriptors. Generated code resolves them as
 * extensions; descriptors built at run time without an extension registry keep them as unknown
 * fields, which are re-parsed here.
 */
final class RuleOptions {

  private static final ExtensionRegistry REGISTRY = ExtensionRegistry.newInstance();

  static {
    Validate.registerAllExtensions(REGISTRY);
  }

  private RuleOptions() {}

  /** The field's {@code (validate.rules)}, or null when it has none. */
  static FieldRules fieldRules(FieldDescriptor field) {
    FieldOptions options = field.getOptions();
    if (!options.hasExtension(Validate.rules)
        && options.getUnknownFields().hasField(Validate.RULES_FIELD_NUMBER)) {
      try {
        options = FieldOptions.parseFrom(options.toByteString(), REGISTRY);
      } catch (InvalidProtocolBufferException e) {
        return null;
      }
    }
    return options.hasExtension(Validate.rules) ? options.getExtension(Validate.rules) : null;
  }

  /** {@code (validate.required)} on a oneof. */
  static boolean oneofRequired(OneofDescriptor oneof) {
    OneofOptions options = oneof.getOptions();
    if (!options.hasExtension(Validate.required)
        && options.getUnknownFields().hasField(Validate.REQUIRED_FIELD_NUMBER)) {
      try {
        options = OneofOptions.parseFrom(options.toByteString(), REGISTRY);
      } catch (InvalidProtocolBufferException e) {
        return false;
      }
    }
    return options.getExtension(Validate.required);
  }

  /** {@code (validate.disabled)} or {@code (validate.ignored)} on a message: no rules apply to it. */
  static boolean messageSkipped(Descriptor type) {
    MessageOptions options = type.getOptions();
    if (options.getUnknownFields().hasField(Validate.DISABLED_FIELD_NUMBER)
        || options.getUnknownFields().hasField(Validate.IGNORED_FIELD_NUMBER)) {
      try {
        options = MessageOptions.parseFrom(options.toByteString(), REGISTRY);
      } catch (InvalidProtocolBufferException e) {
        return false;
      }
    }
    return options.getExtension(Validate.disabled) || options.getExtension(Validate.ignored);
  }
}
