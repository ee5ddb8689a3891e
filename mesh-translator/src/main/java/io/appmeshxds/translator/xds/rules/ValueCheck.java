package io.appmeshxds.translator.xds.rules;

/**
 * The rules of one field compiled for one value: a singular field's value, one element of a
 * repeated field, or one key or value of a map. Built once per field (see {@link Checks}) and then
 * shared by every run.
 */
interface ValueCheck {

  /**
   * Checks {@code value} (as the protobuf reflection API returns it: String, ByteString, boxed
   * numbers, EnumValueDescriptor or Message) and reports at the walker's current path. Like Envoy's
   * validators, stops at the first broken rule of this value.
   *
   * @return false when something was reported
   */
  boolean check(Object value, Walker walker);
}
