package io.appmeshxds.translator.input;

import io.fabric8.generator.annotation.Size;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Finds lists written explicitly empty ({@code listeners: []}) where App Mesh's CRD declares
 * {@code minItems} (our records carry it as {@code @Size(min = 1)}): the API server rejects such an
 * object, while leaving the field out is fine.
 *
 * <p>Why on the document and not on the records: the records read an absent list and an empty one
 * alike (both empty), so only the document still tells the two apart.
 */
final class EmptyLists {
  private EmptyLists() {}

  /** Paths under {@code path} of explicitly empty lists that must have items, in document order. */
  static List<String> find(JsonNode node, Class<?> type, String path) {
    List<String> out = new ArrayList<>();
    walk(node, type, path, out);
    return out;
  }

  private static void walk(JsonNode node, Type type, String path, List<String> out) {
    if (node == null || !(type instanceof Class<?> cls) || !cls.isRecord() || !node.isObject()) {
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
          out.add(at);
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
