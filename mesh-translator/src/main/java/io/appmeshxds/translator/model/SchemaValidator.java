package io.appmeshxds.translator.model;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces the CRD constraints declared on the api records ({@code @Required}, {@code @Min},
 * {@code @Max}, {@code @Size}) — what the Kubernetes API server checked against App Mesh's CRD
 * schema, which manifest files never went through. Walks records reflectively; the per-class
 * component metadata is computed once.
 */
final class SchemaValidator {
  private SchemaValidator() {}

  private record Component(
      RecordComponent rc, boolean required, Long min, Long max, Integer sizeMin, Integer sizeMax) {}

  // Why static: a memo of a pure function of an immutable value (a record class's annotations),
  // bounded by the API's record classes; ArchitectureTest allows it by name.
  private static final Map<Class<?>, List<Component>> CACHE = new ConcurrentHashMap<>();

  /** Validates {@code value} (a record from the api package) found at {@code path}. */
  static void validate(Object value, String path, Findings f) {
    if (value == null || !value.getClass().isRecord()) {
      return;
    }
    for (Component c : components(value.getClass())) {
      Object v;
      try {
        v = c.rc().getAccessor().invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.rc(), e);
      }
      String field = join(path, c.rc().getName());
      if (v == null || v instanceof List<?> l && l.isEmpty() && c.required()) {
        if (c.required()) {
          f.error(field, "required");
        }
        continue;
      }
      if (v instanceof Number n) {
        long x = n.longValue();
        if (c.min() != null && c.max() != null && (x < c.min() || x > c.max())) {
          f.error(field, "must be between " + c.min() + " and " + c.max() + " (got " + x + ")");
        } else if (c.min() != null && x < c.min()) {
          f.error(field, "must be at least " + c.min() + " (got " + x + ")");
        } else if (c.max() != null && x > c.max()) {
          f.error(field, "must be at most " + c.max() + " (got " + x + ")");
        }
      } else if (v instanceof String s) {
        checkSize(f, field, s.length(), c, "length");
      } else if (v instanceof List<?> list) {
        if (!list.isEmpty()) {
          checkSize(f, field, list.size(), c, "number of items");
        }
        for (int i = 0; i < list.size(); i++) {
          Object item = list.get(i);
          validate(item, field + "[" + i + "]", f);
        }
      } else if (v.getClass().isRecord()) {
        validate(v, field, f);
      }
    }
  }

  private static void checkSize(Findings f, String field, int n, Component c, String what) {
    Integer lo = c.sizeMin();
    Integer hi = c.sizeMax();
    if (lo == null && hi == null) {
      return;
    }
    boolean bad = lo != null && n < lo || hi != null && n > hi;
    if (!bad) {
      return;
    }
    String unit = what.equals("length") ? "" : " item(s)";
    String range =
        lo != null && hi != null ? "between " + lo + " and " + hi + unit
            : lo != null ? "at least " + lo + unit : "at most " + hi + unit;
    f.error(field, (what.equals("length") ? "length must be " : "must have ") + range + " (got " + n + ")");
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /**
   * fabric8's annotations target fields and methods, so on a record component they land on the
   * private field (and the accessor), not on the component itself.
   */
  private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> cls, RecordComponent rc, Class<A> type) {
    A a = rc.getAnnotation(type);
    if (a == null) {
      a = rc.getAccessor().getAnnotation(type);
    }
    if (a == null) {
      try {
        a = cls.getDeclaredField(rc.getName()).getAnnotation(type);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException(e);
      }
    }
    return a;
  }

  private static List<Component> components(Class<?> cls) {
    return CACHE.computeIfAbsent(
        cls,
        k -> {
          List<Component> out = new ArrayList<>();
          for (RecordComponent rc : k.getRecordComponents()) {
            Min min = annotation(k, rc, Min.class);
            Max max = annotation(k, rc, Max.class);
            Size size = annotation(k, rc, Size.class);
            Integer sMin = size == null || size.min() == 0 ? null : (int) size.min();
            Integer sMax = size == null || size.max() == Long.MAX_VALUE ? null : (int) size.max();
            out.add(
                new Component(
                    rc,
                    annotation(k, rc, Required.class) != null,
                    min == null ? null : (long) min.value(),
                    max == null ? null : (long) max.value(),
                    sMin,
                    sMax));
          }
          return List.copyOf(out);
        });
  }
}
