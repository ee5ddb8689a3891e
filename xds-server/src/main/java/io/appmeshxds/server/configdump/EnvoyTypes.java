package io.appmeshxds.server.configdump;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Finds the descriptor of a message type named by an {@code Any} type URL (or a full name) among
 * the generated classes on the class path: Envoy's ({@code envoy.*}), the xDS/udpa annotations'
 * and protobuf's well-known types. A name nothing on the class path defines is unknown (null),
 * e.g. an extension of App Mesh's own Envoy build.
 *
 * <p>Why by class name rather than a fixed registry: a config dump may hold any of the several
 * hundred Envoy types, and a registry of all of them would have to be listed by hand; protoc's
 * Java naming for these packages is regular ({@code java_multiple_files}, a fixed package prefix).
 */
public final class EnvoyTypes {
  private EnvoyTypes() {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final int MAX_CACHED = 10_000;
  private static final Map<String, Optional<Descriptor>> CACHE = new ConcurrentHashMap<>();

  /** The descriptor of {@code typeUrlOrName} ({@code type.googleapis.com/pkg.Type} or {@code pkg.Type}), or null. */
  public static Descriptor find(String typeUrlOrName) {
    if (typeUrlOrName == null) {
      return null;
    }
    String name = typeUrlOrName.substring(typeUrlOrName.lastIndexOf('/') + 1);
    Optional<Descriptor> known = CACHE.get(name);
    if (known != null) {
      return known.orElse(null);
    }
    Descriptor found = NAME.matcher(name).matches() ? load(name) : null;
    if (CACHE.size() < MAX_CACHED) {
      CACHE.put(name, Optional.ofNullable(found));
    }
    return found;
  }

  /** Whether a field carries {@code (udpa.annotations.sensitive) = true}, which Envoy redacts in its dumps. */
  public static boolean sensitive(FieldDescriptor f) {
    return f.getOptions().getExtension(udpa.annotations.Sensitive.sensitive);
  }

  private static Descriptor load(String fullName) {
    for (String className : classNames(fullName)) {
      try {
        Class<?> c = Class.forName(className, true, EnvoyTypes.class.getClassLoader());
        if (Message.class.isAssignableFrom(c)) {
          Descriptor d = ((Message) c.getMethod("getDefaultInstance").invoke(null)).getDescriptorForType();
          if (d.getFullName().equals(fullName)) {
            return d;
          }
        }
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        // Not this spelling: try the next one.
      }
    }
    return null;
  }

  /** Candidate generated class names, top-level first, then with trailing parts as nested classes. */
  static List<String> classNames(String fullName) {
    String base;
    if (fullName.startsWith("envoy.")) {
      base = "io.envoyproxy." + fullName;
    } else if (fullName.startsWith("xds.")) {
      base = "com.github." + fullName;
    } else if (fullName.startsWith("udpa.")) {
      base = "com.github.udpa." + fullName;
    } else if (fullName.startsWith("google.protobuf.")) {
      base = "com.google.protobuf." + fullName.substring("google.protobuf.".length());
    } else {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    String name = base;
    // Nested messages are inner classes: a.b.Outer.Inner -> a.b.Outer$Inner (at most a few levels).
    for (int i = 0; i < 4; i++) {
      names.add(name);
      int dot = name.lastIndexOf('.');
      if (dot < 0 || !Character.isUpperCase(name.charAt(name.lastIndexOf('.', dot - 1) + 1))) {
        break;
      }
      name = name.substring(0, dot) + "$" + name.substring(dot + 1);
    }
    return names;
  }
}
