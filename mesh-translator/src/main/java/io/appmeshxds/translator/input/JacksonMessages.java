package io.appmeshxds.translator.input;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/** Jackson's reading failures in an operator's words: field paths and messages without class names. */
final class JacksonMessages {
  private JacksonMessages() {}

  /** {@code .listeners[0].portMapping.port} from an exception's reference chain. */
  static String pathOf(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        sb.append('.').append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** A message without Jackson's class names and source excerpts. */
  static String messageOf(JacksonException e) {
    if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
      List<String> allowed = new ArrayList<>();
      for (Object c : ife.getTargetType().getEnumConstants()) {
        allowed.add(wireName((Enum<?>) c));
      }
      return "unsupported value \"" + ife.getValue() + "\"; supported values: " + String.join(", ", allowed);
    }
    if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
      return "invalid: " + vie.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      return "expected " + typeName(mie.getTargetType());
    }
    String m = e.getOriginalMessage();
    int nl = m == null ? -1 : m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : String.valueOf(m);
  }

  private static String typeName(Class<?> t) {
    if (t == Long.class || t == long.class || t == Integer.class || t == int.class) {
      return "an integer";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a string";
    }
    if (java.util.List.class.isAssignableFrom(t)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "a mapping";
    }
    if (t.isEnum()) {
      return "one of the values of " + t.getSimpleName();
    }
    return t.getSimpleName();
  }

  /** The JSON spelling of an enum constant (its {@code @JsonProperty} or its name). */
  static String wireName(Enum<?> c) {
    try {
      com.fasterxml.jackson.annotation.JsonProperty jp =
          c.getDeclaringClass().getField(c.name()).getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return jp != null ? jp.value() : c.name();
    } catch (NoSuchFieldException e) {
      return c.name();
    }
  }

  /** Collects unknown properties as dotted paths instead of failing. */
  static final class UnknownFieldCollector extends DeserializationProblemHandler {
    private final List<String> sink;

    UnknownFieldCollector(List<String> sink) {
      this.sink = sink;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt, JsonParser p, ValueDeserializer<?> deserializer, Object beanOrClass, String name) {
      sink.add(pathPrefix(p.streamReadContext()) + name);
      p.skipChildren();
      return true;
    }

    private static String pathPrefix(TokenStreamContext ctx) {
      List<String> parts = new ArrayList<>();
      // The innermost context is the object holding the unknown property; its ancestors name the path.
      for (TokenStreamContext c = ctx.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.add(0, "[" + c.getCurrentIndex() + "]");
        } else if (c.currentName() != null) {
          parts.add(0, "." + c.currentName());
        }
      }
      String s = String.join("", parts);
      s = s.startsWith(".") ? s.substring(1) : s;
      return s.isEmpty() ? "" : s + ".";
    }
  }
}
