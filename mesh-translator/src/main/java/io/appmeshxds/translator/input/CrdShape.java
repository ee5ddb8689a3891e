package io.appmeshxds.translator.input;

import io.fabric8.generator.annotation.Size;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What App Mesh's CRD rejects that the records cannot see once read, found on the document itself:
 * lists written explicitly empty ({@code listeners: []}) where the CRD declares {@code minItems}
 * (our records carry it as {@code @Size(min = 1)}; leaving the field out is fine), and enum values
 * with spaces around them ({@code " client-error"}, which Flagger writes when a Canary's {@code
 * retryOn} has a space after a comma).
 *
 * <p>Why on the document: the records read an absent list and an empty one alike, and Jackson trims
 * an enum value before matching it, while the API server compares it as written.
 */
final class CrdShape {
  private CrdShape() {}

  /** One finding: a field path and what is wrong with it. */
  record Finding(String field, String message) {}

  /** Findings under {@code path}, in document order. */
  static List<Finding> check(JsonNode node, Class<?> type, String path) {
    List<Finding> out = new ArrayList<>();
    walk(node, type, path, out);
    return out;
  }

  private static void walk(JsonNode node, Type type, String path, List<Finding> out) {
    if (node == null || !(type instanceof Class<?> cls)) {
      return;
    }
    if (cls.isEnum()) {
      if (node.isString() && !node.stringValue().equals(node.stringValue().strip())) {
        out.add(new Finding(path, "unsupported value \"" + node.stringValue() + "\": App Mesh's CRD takes the value as"
            + " written, without the spaces around it"));
      }
      return;
    }
    if (!cls.isRecord() || !node.isObject()) {
      return;
    }
    for (RecordComponent rc : cls.getRecordComponents()) {
      JsonNode value = node.get(rc.getName());
      if (value == null) {
        continue;
      }
      String at = path + "." + rc.getName();
      if (value.isArray()) {
        Size size = size(cls, rc);
        if (value.isEmpty() && size != null && size.min() > 0) {
          out.add(new Finding(at, "must have at least 1 item(s) (got 0): App Mesh's CRD rejects an empty list; leave the"
              + " field out or list at least one"));
        }
        Type item = itemType(rc.getGenericType());
        for (int i = 0; i < value.size(); i++) {
          walk(value.get(i), item, at + "[" + i + "]", out);
        }
      } else {
        walk(value, rc.getType(), at, out);
      }
    }
  }

  private static Type itemType(Type listType) {
    return listType instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
        ? p.getActualTypeArguments()[0] : null;
  }

  /** fabric8's annotations land on the record's private field (see the model's SchemaValidator). */
  private static Size size(Class<?> cls, RecordComponent rc) {
    Size s = rc.getAnnotation(Size.class);
    if (s == null) {
      s = rc.getAccessor().getAnnotation(Size.class);
    }
    if (s == null) {
      try {
        s = cls.getDeclaredField(rc.getName()).getAnnotation(Size.class);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    return s;
  }
}
