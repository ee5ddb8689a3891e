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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

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
    boolean gatewayApi = GatewayApi.GROUP.equals(group) && GatewayApi.KINDS.contains(kind);
    boolean kept = appMesh || canary || gatewayApi
        || "v1".equals(apiVersion) && ("Namespace".equals(kind) || "Service".equals(kind))
        || "discovery.k8s.io/v1".equals(apiVersion) && "EndpointSlice".equals(kind);
    if (appMesh || canary || gatewayApi) {
      sink.meshDocuments++;
    }
    if (!kept) {
      if ("apps/v1".equals(apiVersion) && ("Deployment".equals(kind) || "DaemonSet".equals(kind))) {
        workload(doc, kind);
      }
      return; // other kinds (HPAs, ConfigMaps, …) are not ours: ignored quietly
    }
    if (!sink.templatesAllowed && leftoverTemplates(doc, kind, canary, source)) {
      return;
    }
    if (appMesh) {
      convertAppMesh(doc, apiVersion, kind, source);
      return;
    }
    if (gatewayApi) {
      convertGatewayApi(doc, apiVersion, kind, source);
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
      spec = readSpec(specNode, s.specClass(), unknown, ref, source);
      if (spec == null) {
        return;
      }
      for (String path : unknown) {
        problems.add(unknownField(ref, "spec." + path, source, true));
      }
      List<CrdShape.Finding> rejected = CrdShape.check(specNode, s.specClass(), "spec");
      rejected.forEach(r -> problems.add(malformed(ref, r.field(), r.message(), source)));
      if (!rejected.isEmpty()) {
        return;
      }
    }
    objects.add(new LoadedObject(s.factory().apply(meta, spec), ref, source));
  }

  /**
   * An HTTPRoute, GRPCRoute, ReferenceGrant, Gateway or GatewayClass (cluster-scoped): read like an App Mesh object (field paths, unknown
   * fields reported), into {@link GatewayApi} records. Why unknown fields are warnings: Gateway
   * API's CRDs are structural, so a field we do not read is either one the API server prunes or
   * one of a newer or experimental channel that we do not serve; either way it has no effect here.
   */
  private void convertGatewayApi(JsonNode doc, String apiVersion, String kind, SourceRef source) {
    ObjectMeta meta = readMeta(doc, !"GatewayClass".equals(kind), source, kind);
    if (meta == null) {
      return;
    }
    ObjectRef ref = new ObjectRef(kind, meta.namespace(), meta.name());
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    if (!GatewayApi.VERSIONS.contains(version)) {
      problems.add(malformed(ref, "apiVersion", "\"" + apiVersion + "\" is not read; the versions read are "
          + GatewayApi.GROUP + "/v1 and " + GatewayApi.GROUP + "/v1beta1", source));
      return;
    }
    JsonNode specNode = doc.get("spec");
    Object spec = null;
    if (specNode != null && !specNode.isNull()) {
      if (!specNode.isObject()) {
        problems.add(malformed(ref, "spec", "must be a mapping (found " + describe(specNode) + ")", source));
        return;
      }
      List<String> unknown = new ArrayList<>();
      spec = readSpec(specNode, GatewayApi.specClass(kind), unknown, ref, source);
      if (spec == null) {
        return;
      }
      for (String path : unknown) {
        problems.add(new Problem(Severity.WARNING, Reason.Accepted, ref, "spec." + path,
            "not read by appmesh-xds (a field of another Gateway API channel or version, or misspelt): it has no effect",
            source));
      }
    }
    String created = text(doc.path("metadata"), "creationTimestamp");
    objects.add(new LoadedObject(GatewayApi.of(kind, meta, created, spec), ref, source));
  }

  /**
   * Reads a spec mapping into {@code type}, collecting the paths of fields it does not know into
   * {@code unknown}; null (with the problem added, naming the field path) when it cannot be read.
   */
  private Object readSpec(JsonNode specNode, Class<?> type, List<String> unknown, ObjectRef ref, SourceRef source) {
    ObjectReader reader = Json.YAML.readerFor(type).withHandler(new JacksonMessages.UnknownFieldCollector(unknown));
    try {
      Object spec = reader.readValue(specNode);
      if (spec == null) {
        problems.add(malformed(ref, "spec", "cannot be read: empty", source));
      }
      return spec;
    } catch (JacksonException e) {
      problems.add(malformed(ref, "spec" + JacksonMessages.pathOf(e), JacksonMessages.messageOf(e), source));
    } catch (RuntimeException e) {
      problems.add(malformed(ref, "spec", "cannot be read: " + e, source));
    }
    return null;
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
      problems.add(malformed(ref, "metadata" + JacksonMessages.pathOf(e), JacksonMessages.messageOf(e), source));
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

  /** A Canary's possible target: name and pod selector labels only, and quietly (it is not ours). */
  private void workload(JsonNode doc, String kind) {
    String name = text(doc.path("metadata"), "name");
    if (name == null) {
      return;
    }
    String ns = text(doc.path("metadata"), "namespace");
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : doc.path("spec").path("selector").path("matchLabels").properties()) {
      if (e.getValue().isString()) {
        labels.put(e.getKey(), e.getValue().stringValue());
      }
    }
    sink.workloads.add(new Workload(new ObjectRef(kind, ns == null || ns.isEmpty() ? "default" : ns, name), labels));
  }

  private void convertCanary(JsonNode doc, String apiVersion, SourceRef source) {
    ObjectMeta meta = readMeta(doc, true, source, "Canary");
    if (meta != null) {
      canaries.add(CanaryReader.read(doc, apiVersion, meta, source));
    }
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
}
