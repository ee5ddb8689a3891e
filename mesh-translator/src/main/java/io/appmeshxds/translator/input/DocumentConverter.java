package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.status.Problem;
import io.appmeshxds.translator.status.Reason;
import io.appmeshxds.translator.status.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns one parsed document into objects. Never throws on bad input: every problem is reported
 * with the object (when it can be identified) and the field path.
 */
final class DocumentConverter {

  private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec", "status");

  private record Spec<T>(Class<?> specClass, BiFunction<ObjectMeta, Object, MeshObject> factory) {}

  private static final Map<Kind, Spec<?>> SPECS = new LinkedHashMap<>();

  static {
    SPECS.put(Kind.Mesh, new Spec<>(Mesh.Spec.class, (m, s) -> new Mesh(m, (Mesh.Spec) s)));
    SPECS.put(Kind.VirtualNode, new Spec<>(VirtualNode.Spec.class, (m, s) -> new VirtualNode(m, (VirtualNode.Spec) s)));
    SPECS.put(
        Kind.VirtualService,
        new Spec<>(VirtualService.Spec.class, (m, s) -> new VirtualService(m, (VirtualService.Spec) s)));
    SPECS.put(
        Kind.VirtualRouter, new Spec<>(VirtualRouter.Spec.class, (m, s) -> new VirtualRouter(m, (VirtualRouter.Spec) s)));
    SPECS.put(
        Kind.VirtualGateway,
        new Spec<>(VirtualGateway.Spec.class, (m, s) -> new VirtualGateway(m, (VirtualGateway.Spec) s)));
    SPECS.put(
        Kind.GatewayRoute, new Spec<>(GatewayRoute.Spec.class, (m, s) -> new GatewayRoute(m, (GatewayRoute.Spec) s)));
    SPECS.put(
        Kind.BackendGroup, new Spec<>(BackendGroup.Spec.class, (m, s) -> new BackendGroup(m, (BackendGroup.Spec) s)));
  }

  /** Canary fields holding shell commands the load tester expands itself: {@code ${VAR}} is theirs. */
  private static final Set<String> CANARY_COMMANDS =
      Set.of("status", "spec.analysis.webhooks", "spec.canaryAnalysis.webhooks");

  private final ManifestLoader.Sink sink;
  private final List<LoadedObject> objects;
  private final List<CanaryInfo> canaries;
  private final List<Problem> problems;

  DocumentConverter(ManifestLoader.Sink sink) {
    this.sink = sink;
    this.objects = sink.objects;
    this.canaries = sink.canaries;
    this.problems = sink.problems;
  }

  /** Converts one document (a mapping) found at {@code source}. */
  void convert(JsonNode doc, SourceRef source) {
    if (doc == null || doc.isMissingNode() || doc.isNull()) {
      return; // empty document: comments only
    }
    if (!doc.isObject()) {
      problems.add(malformed(null, "", "document is not a mapping (found " + describe(doc) + ")", source));
      return;
    }
    String apiVersion = text(doc, "apiVersion");
    String kind = text(doc, "kind");
    if (kind == null || kind.isEmpty()) {
      problems.add(malformed(null, "kind", "required: every document needs apiVersion and kind", source));
      return;
    }
    if ("List".equals(kind) || kind.endsWith("List") && doc.has("items")) {
      JsonNode items = doc.get("items");
      if (items != null && items.isArray()) {
        for (JsonNode item : items.values()) {
          convert(item, source);
        }
      } else if (items != null && !items.isNull()) {
        problems.add(malformed(null, "items", "must be a list", source));
      }
      return;
    }
    sink.kinds.merge(kind, 1, Integer::sum);
    String group = apiVersion == null ? "" : apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    boolean appMesh = Kind.GROUP.equals(group) || Kind.byName(kind) != null && (apiVersion == null || apiVersion.isEmpty());
    boolean canary = "Canary".equals(kind) && CanaryInfo.GROUP.equals(group);
    boolean kept = appMesh || canary
        || "v1".equals(apiVersion) && ("Namespace".equals(kind) || "Service".equals(kind))
        || "discovery.k8s.io/v1".equals(apiVersion) && "EndpointSlice".equals(kind);
    if (appMesh || canary) {
      sink.meshDocuments++;
    }
    if (!kept) {
      return; // other kinds (Deployments, HPAs, …) are not ours: ignored quietly
    }
    if (leftoverTemplates(doc, kind, canary, source)) {
      return;
    }
    if (appMesh) {
      convertAppMesh(doc, apiVersion, kind, source);
      return;
    }
    switch (kind) {
      case "Namespace" -> convertNamespace(doc, source);
      case "Service" -> convertService(doc, source);
      case "EndpointSlice" -> convertEndpointSlice(doc, source);
      default -> convertCanary(doc, apiVersion, source);
    }
  }

  /**
   * Reports every {@code ${VAR}} left in a kept document; such a document is not used (the user
   * meant to run it through envsubst first).
   */
  private boolean leftoverTemplates(JsonNode doc, String kind, boolean canary, SourceRef source) {
    List<TemplateVariables.Found> found = TemplateVariables.find(doc, canary ? CANARY_COMMANDS : Set.of("status"));
    if (found.isEmpty()) {
      return false;
    }
    JsonNode m = doc.path("metadata");
    String name = text(m, "name");
    Kind k = Kind.byName(kind);
    boolean namespaced = k == null ? !"Namespace".equals(kind) : k.namespaced();
    String ns = namespaced ? text(m, "namespace") : null;
    ObjectRef ref = name == null ? null : new ObjectRef(kind, namespaced && ns == null ? "default" : ns, name);
    for (TemplateVariables.Found f : found) {
      problems.add(malformed(ref, f.field(), f.message(), source));
    }
    return true;
  }

  private void convertAppMesh(JsonNode doc, String apiVersion, String kindName, SourceRef source) {
    Kind kind = Kind.byName(kindName);
    ObjectMeta meta = readMeta(doc, kind != null && kind.namespaced(), source, kindName);
    if (meta == null) {
      return;
    }
    ObjectRef ref =
        kind == null ? new ObjectRef(kindName, meta.namespace(), meta.name()) : ObjectRef.of(kind, meta.namespace(), meta.name());
    if (kind == null) {
      problems.add(malformed(ref, "kind", "unknown App Mesh kind \"" + kindName + "\"; known kinds: " + knownKinds(), source));
      return;
    }
    if (!Kind.API_VERSION.equals(apiVersion)) {
      problems.add(
          malformed(
              ref,
              "apiVersion",
              (apiVersion == null || apiVersion.isEmpty() ? "required" : "\"" + apiVersion + "\" is not served")
                  + "; the served version is " + Kind.API_VERSION,
              source));
      return;
    }
    for (String key : doc.propertyNames()) {
      if (!TOP_LEVEL.contains(key)) {
        problems.add(unknownField(ref, key, source, false));
      }
    }
    JsonNode specNode = doc.get("spec");
    Object spec;
    Spec<?> s = SPECS.get(kind);
    if (specNode == null || specNode.isNull()) {
      spec = null;
    } else if (!specNode.isObject()) {
      problems.add(malformed(ref, "spec", "must be a mapping (found " + describe(specNode) + ")", source));
      return;
    } else {
      List<String> unknown = new ArrayList<>();
      ObjectReader reader = Json.YAML.readerFor(s.specClass()).withHandler(new UnknownFieldCollector(unknown));
      try {
        spec = reader.readValue(specNode);
      } catch (JacksonException e) {
        problems.add(malformed(ref, "spec" + pathOf(e), messageOf(e), source));
        return;
      } catch (RuntimeException e) {
        problems.add(malformed(ref, "spec", "cannot be read: " + e, source));
        return;
      }
      for (String path : unknown) {
        problems.add(unknownField(ref, "spec." + path, source, true));
      }
      List<String> empty = EmptyLists.find(specNode, s.specClass(), "spec");
      for (String path : empty) {
        problems.add(malformed(ref, path, "must have at least 1 item(s) (got 0): App Mesh's CRD rejects an empty list;"
            + " leave the field out or list at least one", source));
      }
      if (!empty.isEmpty()) {
        return;
      }
    }
    objects.add(new LoadedObject(s.factory().apply(meta, spec), ref, source));
  }

  private ObjectMeta readMeta(JsonNode doc, boolean namespaced, SourceRef source, String kindName) {
    JsonNode m = doc.get("metadata");
    if (m == null || !m.isObject()) {
      problems.add(malformed(null, "metadata", "required: a mapping with at least a name (" + kindName + ")", source));
      return null;
    }
    ObjectMeta meta;
    try {
      meta = Json.YAML.treeToValue(m, ObjectMeta.class);
    } catch (JacksonException e) {
      String name = text(m, "name");
      ObjectRef ref = name == null ? null : new ObjectRef(kindName, namespaced ? text(m, "namespace") : null, name);
      problems.add(malformed(ref, "metadata" + pathOf(e), messageOf(e), source));
      return null;
    }
    if (meta.name() == null || meta.name().isEmpty()) {
      problems.add(malformed(null, "metadata.name", "required (" + kindName + ")", source));
      return null;
    }
    boolean hasNamespace = namespaced && meta.namespace() != null && !meta.namespace().isEmpty();
    ObjectRef named = new ObjectRef(kindName, namespaced ? (hasNamespace ? meta.namespace() : "default") : null, meta.name());
    String badName = KubernetesNames.problem(meta.name(), KubernetesNames.forKind(kindName));
    String badNamespace = hasNamespace ? KubernetesNames.problem(meta.namespace(), KubernetesNames.Rule.LABEL) : null;
    if (badName != null) {
      problems.add(malformed(named, "metadata.name", badName, source));
    }
    if (badNamespace != null) {
      problems.add(malformed(named, "metadata.namespace", badNamespace, source));
    }
    if (badName != null || badNamespace != null) {
      return null;
    }
    if (!namespaced) {
      return meta.withNamespace(null);
    }
    // kubectl applies namespace-less objects to "default"; kustomize output always has one.
    return meta.namespace() == null || meta.namespace().isEmpty() ? meta.withNamespace("default") : meta;
  }

  private void convertNamespace(JsonNode doc, SourceRef source) {
    ObjectMeta meta = readMeta(doc, false, source, "Namespace");
    if (meta != null) {
      objects.add(
          new LoadedObject(new K8sNamespace(meta.name(), meta.labels()), new ObjectRef("Namespace", null, meta.name()), source));
    }
  }

  private void convertService(JsonNode doc, SourceRef source) {
    ObjectMeta meta = readMeta(doc, true, source, "Service");
    if (meta == null) {
      return;
    }
    List<K8sService.Port> ports = new ArrayList<>();
    for (JsonNode p : doc.path("spec").path("ports").values()) {
      JsonNode target = p.get("targetPort");
      Integer targetPort = target != null && target.isIntegralNumber() ? target.intValue() : null;
      if (p.path("port").isIntegralNumber()) {
        ports.add(new K8sService.Port(text(p, "name"), p.path("port").intValue(), targetPort, text(p, "protocol")));
      }
    }
    ObjectRef ref = new ObjectRef("Service", meta.namespace(), meta.name());
    objects.add(new LoadedObject(new K8sService(meta.namespace(), meta.name(), ports), ref, source));
  }

  private void convertEndpointSlice(JsonNode doc, SourceRef source) {
    ObjectMeta meta = readMeta(doc, true, source, "EndpointSlice");
    if (meta == null) {
      return;
    }
    List<EndpointSlice.Endpoint> endpoints = new ArrayList<>();
    for (JsonNode e : doc.path("endpoints").values()) {
      List<String> addresses = new ArrayList<>();
      for (JsonNode a : e.path("addresses").values()) {
        if (a.isString()) {
          addresses.add(a.stringValue());
        }
      }
      JsonNode ready = e.path("conditions").get("ready");
      Boolean isReady = ready != null && ready.isBoolean() ? ready.booleanValue() : null;
      endpoints.add(new EndpointSlice.Endpoint(addresses, isReady, text(e, "zone")));
    }
    List<EndpointSlice.Port> ports = new ArrayList<>();
    for (JsonNode p : doc.path("ports").values()) {
      Integer port = p.path("port").isIntegralNumber() ? p.path("port").intValue() : null;
      ports.add(new EndpointSlice.Port(text(p, "name"), port, text(p, "protocol")));
    }
    EndpointSlice slice =
        new EndpointSlice(
            meta.namespace(),
            meta.name(),
            meta.labels().get(EndpointSlice.SERVICE_NAME_LABEL),
            text(doc, "addressType"),
            endpoints,
            ports);
    objects.add(new LoadedObject(slice, new ObjectRef("EndpointSlice", meta.namespace(), meta.name()), source));
  }

  private void convertCanary(JsonNode doc, String apiVersion, SourceRef source) {
    ObjectMeta meta = readMeta(doc, true, source, "Canary");
    if (meta == null) {
      return;
    }
    JsonNode spec = doc.path("spec");
    JsonNode analysis = spec.has("analysis") ? spec.path("analysis") : spec.path("canaryAnalysis");
    String analysisKey = spec.has("analysis") ? "analysis" : "canaryAnalysis";
    List<CanaryInfo.FieldValue> regexes = new ArrayList<>();
    int i = 0;
    for (JsonNode match : analysis.path("match").values()) {
      for (Map.Entry<String, JsonNode> h : match.path("headers").properties()) {
        JsonNode regex = h.getValue().get("regex");
        if (regex != null && regex.isString()) {
          regexes.add(
              new CanaryInfo.FieldValue(
                  "spec." + analysisKey + ".match[" + i + "].headers." + h.getKey() + ".regex", regex.stringValue()));
        }
      }
      i++;
    }
    canaries.add(
        new CanaryInfo(
            new ObjectRef("Canary", meta.namespace(), meta.name()),
            apiVersion,
            text(spec, "provider"),
            analysis.path("match").size(),
            regexes,
            source));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static String knownKinds() {
    return String.join(", ", SPECS.keySet().stream().map(Kind::name).toList());
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v != null && v.isString() ? v.stringValue() : null;
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isString()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static Problem malformed(ObjectRef ref, String field, String message, SourceRef source) {
    return new Problem(Severity.ERROR, Reason.MalformedInput, ref, field, message, source);
  }

  /**
   * An unknown field. Why two messages: App Mesh's CRDs (and ours, generated from the same model)
   * set {@code x-kubernetes-preserve-unknown-fields} on the root schema only; {@code spec} is
   * structural, so the API server prunes unknown fields inside it, while unknown top-level keys are
   * stored.
   */
  private static Problem unknownField(ObjectRef ref, String path, SourceRef source, boolean inSpec) {
    return new Problem(
        Severity.WARNING,
        Reason.Accepted,
        ref,
        path,
        inSpec
            ? "unknown field: the API server prunes it (App Mesh's CRDs are structural), so it has no effect"
            : "unknown field: the API server keeps it (top-level fields are preserved), but App Mesh does not use it",
        source);
  }

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
  private static final class UnknownFieldCollector extends DeserializationProblemHandler {
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
