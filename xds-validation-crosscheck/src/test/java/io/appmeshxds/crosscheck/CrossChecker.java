package io.appmeshxds.crosscheck;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.xds.api.DefaultXdsValidatorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks {@code *.xds.yaml} snapshots against Envoy's protoc-gen-validate rules as generated
 * upstream (Armeria's {@link DefaultXdsValidatorIndex}, Envoy API v1.36).
 *
 * <p>Each resource is parsed from proto3 JSON into Armeria's bundled Envoy classes and validated.
 * The PGV validators stop at an {@code Any} (they check its type URL only), so the checker also walks
 * every resource, unpacks each {@code Any} it finds with {@link EnvoyTypes#REGISTRY} and validates
 * (and walks) the content too. Every problem of a file is collected; nothing stops at the first one,
 * except that a PGV validator reports only the first broken rule of each message it validates.
 */
final class CrossChecker {

  /** What checking one snapshot found. */
  record Result(List<Violation> violations, int resources, int unpackedAnys) {}

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** How JsonFormat starts its message for an {@code @type} missing from the registry. */
  private static final String UNKNOWN_TYPE = "Cannot resolve type:";

  private final JsonFormat.Parser parser = JsonFormat.parser().usingTypeRegistry(EnvoyTypes.REGISTRY);
  private final DefaultXdsValidatorIndex validator = new DefaultXdsValidatorIndex();

  /** Checks one snapshot file. */
  Result check(Path file) throws IOException {
    return check(file.toString(), Files.readString(file));
  }

  /** Checks snapshot text; {@code source} names it in the violations. */
  Result check(String source, String yaml) {
    Run run = new Run(source);
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      run.fileProblem("not valid YAML: " + e.getOriginalMessage());
      return run.result();
    }
    JsonNode nodes = root == null ? null : root.get("nodes");
    if (nodes == null || !nodes.isArray()) {
      run.fileProblem("expected a top-level 'nodes' list");
      return run.result();
    }
    for (JsonNode entry : nodes) {
      checkNode(run, entry);
    }
    return run.result();
  }

  private void checkNode(Run run, JsonNode entry) {
    String node = entry.path("node").asString("-");
    for (Map.Entry<String, JsonNode> field : entry.properties()) {
      String key = field.getKey();
      if (key.equals("node") || key.equals("proxyless") || key.equals("dialect")) {
        continue;
      }
      Descriptor type = EnvoyTypes.RESOURCE_KINDS.get(key);
      if (type == null || !field.getValue().isArray()) {
        run.add(node, key, "-", null, type == null
            ? "unknown key (expected node, proxyless, dialect, " + String.join(", ", EnvoyTypes.RESOURCE_KINDS.keySet()) + ")"
            : "expected a list of " + type.getFullName());
        continue;
      }
      for (JsonNode json : field.getValue()) {
        checkResource(run, node, key, type, json);
      }
    }
  }

  private void checkResource(Run run, String node, String kind, Descriptor type, JsonNode json) {
    run.resources++;
    Message.Builder builder = EnvoyTypes.defaultInstance(type).newBuilderForType();
    try {
      parser.merge(JSON.writeValueAsString(json), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      String name = json.path("name").asString(json.path("cluster_name").asString("-"));
      String why = String.valueOf(e.getMessage());
      run.add(node, kind, name, null, why.startsWith(UNKNOWN_TYPE)
          ? "unknown \"@type\" " + why.substring(UNKNOWN_TYPE.length()).trim() + ": not in the cross-check's "
              + "TypeRegistry (add its message class to EnvoyTypes.ROOTS)"
          : "cannot be read as " + type.getFullName() + ": " + why);
      return;
    }
    Message resource = builder.build();
    Resource where = new Resource(run, node, kind, resourceName(resource));
    validate(where, resource, null);
    walk(where, resource, "");
  }

  /** Validates one message; a broken rule becomes a violation. */
  private void validate(Resource where, Message message, String anyPath) {
    try {
      validator.assertValid(message);
    } catch (IllegalArgumentException e) {
      Throwable reason = e.getCause() != null ? e.getCause() : e;
      String said = String.valueOf(reason.getMessage()).replaceAll("\\s+", " ").trim();
      where.run.add(where.node, where.kind, where.name, anyPath, said);
    }
  }

  /** Visits every set message field below {@code message}, unpacking each {@code Any}. */
  private void walk(Resource where, Message message, String path) {
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String fieldPath = path + field.getName();
      if (field.isMapField()) {
        for (Object o : (List<?>) e.getValue()) {
          Message entry = (Message) o;
          Descriptor entryType = entry.getDescriptorForType();
          Object value = entry.getField(entryType.findFieldByName("value"));
          if (value instanceof Message m) {
            visit(where, m, fieldPath + "[\"" + entry.getField(entryType.findFieldByName("key")) + "\"]");
          }
        }
      } else if (field.isRepeated()) {
        List<?> items = (List<?>) e.getValue();
        for (int i = 0; i < items.size(); i++) {
          visit(where, (Message) items.get(i), fieldPath + "[" + i + "]");
        }
      } else {
        visit(where, (Message) e.getValue(), fieldPath);
      }
    }
  }

  private void visit(Resource where, Message child, String path) {
    if (child instanceof Any any) {
      unpack(where, any, path);
    } else {
      walk(where, child, path + ".");
    }
  }

  private void unpack(Resource where, Any any, String path) {
    where.run.unpackedAnys++;
    String typeName = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
    Descriptor type = EnvoyTypes.REGISTRY.find(typeName);
    if (type == null) {
      where.run.add(where.node, where.kind, where.name, path,
          "unknown \"@type\" " + any.getTypeUrl() + ": not in the cross-check's TypeRegistry "
              + "(add its message class to EnvoyTypes.ROOTS)");
      return;
    }
    Message content;
    try {
      content = EnvoyTypes.defaultInstance(type).getParserForType().parseFrom(any.getValue());
    } catch (InvalidProtocolBufferException e) {
      where.run.add(where.node, where.kind, where.name, path, "cannot unpack " + typeName + ": " + e.getMessage());
      return;
    }
    String here = path + "(" + typeName + ")";
    validate(where, content, here);
    walk(where, content, here + ".");
  }

  /** The {@code name} of a resource, or {@code cluster_name} for a ClusterLoadAssignment. */
  private static String resourceName(Message resource) {
    Descriptor type = resource.getDescriptorForType();
    FieldDescriptor name = type.findFieldByName("name");
    if (name == null) {
      name = type.findFieldByName("cluster_name");
    }
    return name == null ? "-" : String.valueOf(resource.getField(name));
  }

  /** The resource being checked, for the violations found in it. */
  private record Resource(Run run, String node, String kind, String name) {}

  /** What is found while checking one snapshot. */
  private static final class Run {
    final String source;
    final List<Violation> violations = new ArrayList<>();
    int resources;
    int unpackedAnys;

    Run(String source) {
      this.source = source;
    }

    void add(String node, String kind, String resource, String anyPath, String message) {
      violations.add(new Violation(source, node, kind, resource, anyPath, message));
    }

    void fileProblem(String message) {
      add("-", "-", "-", null, message);
    }

    Result result() {
      return new Result(List.copyOf(violations), resources, unpackedAnys);
    }
  }
}
