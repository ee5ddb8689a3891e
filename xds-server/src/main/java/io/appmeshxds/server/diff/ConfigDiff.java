package io.appmeshxds.server.diff;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Semantic differences between two config dumps: ours (what appmesh-xds would push to a node)
 * and the running Envoy's.
 *
 * <p>Compared: the dynamic listeners, route configurations, clusters and secrets, matched by name,
 * field by field after normalization ({@link Normalizer}) and after rewriting forms Envoy reads the
 * same way into one ({@link Equivalences}). Not compared: versions, timestamps and
 * statuses of the dump entries; static resources (the bootstrap's: the xDS cluster, the SDS and
 * admin clusters); endpoints (addresses change with every pod); secrets the running Envoy holds
 * that we do not push (they come from a node-local SDS server such as SPIRE's agent).
 */
public final class ConfigDiff {
  private ConfigDiff() {}

  /** The largest dump read, in bytes. Why a cap: the input may be any file; real dumps are a few MB. */
  public static final long MAX_DUMP_BYTES = 256L * 1024 * 1024;

  /** The keyword of {@link Options#ignoreExtensions()} on the command line. */
  public static final String EXTENSIONS = "app-mesh-extensions";

  /**
   * What not to report.
   *
   * @param ignoreExtensions leave out differences in what upstream Envoy does not define ({@link Difference#extension()})
   * @param ignoredFields proto field names (snake_case) whose differences are left out wherever they occur
   */
  public record Options(boolean ignoreExtensions, Set<String> ignoredFields) {
    public Options {
      ignoredFields = Set.copyOf(ignoredFields);
    }

    public static Options defaults() {
      return new Options(false, Set.of());
    }
  }

  /** Reads a dump (see {@link DumpReader}); the message of the exception never quotes the input. */
  public static Dump read(byte[] json) throws DumpException {
    return DumpReader.read(json);
  }

  /** The differences, resource kinds in Envoy's dump order, names sorted within a kind. */
  public static List<Difference> compare(Dump ours, Dump running, Options options) {
    Normalizer normalizer = new Normalizer();
    Comparer comparer = new Comparer(normalizer.marked(), options.ignoredFields());
    List<Difference> out = new ArrayList<>();
    for (ResourceKind kind : ResourceKind.values()) {
      Map<String, JsonNode> o = ours.of(kind);
      Map<String, JsonNode> r = running.of(kind);
      Set<String> names = new TreeSet<>(o.keySet());
      names.addAll(r.keySet());
      Descriptor type = kind.descriptor();
      for (String name : names) {
        String location = kind.label() + " " + name;
        if (!r.containsKey(name)) {
          out.add(new Difference(location, "missing in running Envoy", false));
        } else if (!o.containsKey(name)) {
          if (kind != ResourceKind.SECRET) {
            out.add(new Difference(location, "missing in ours", false));
          }
        } else {
          comparer.compare(location, type, equivalent(kind, normalizer.resource(o.get(name), type)),
              equivalent(kind, normalizer.resource(r.get(name), type)));
          out.addAll(comparer.differences());
          comparer.differences().clear();
        }
      }
    }
    return options.ignoreExtensions() ? out.stream().filter(d -> !d.extension()).toList() : out;
  }

  private static JsonNode equivalent(ResourceKind kind, JsonNode normalized) {
    return kind == ResourceKind.ROUTE ? Equivalences.routeConfiguration(normalized) : normalized;
  }
}
