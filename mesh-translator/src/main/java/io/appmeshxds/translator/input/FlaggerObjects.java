package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.LabelSelector;
import io.appmeshxds.translator.api.Mesh;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The App Mesh objects Flagger creates from each Canary with provider {@code appmesh:v1beta2} (or
 * {@code appmesh}, or none in a namespace of a mesh: Flagger's global provider is then assumed), so
 * that what refers to them (a GatewayRoute to {@code podinfo}, a load tester's backend {@code
 * podinfo-canary}) resolves in a GitOps repository that, like every real one, does not hold them.
 * Pure: the Canaries and the objects read in, the derived objects out.
 *
 * <p>Derived objects are read from the documents Flagger would send ({@link FlaggerDocuments}) with
 * the same reader as files, so the API server's checks apply; the first one it would reject stops
 * the rest, as Flagger's reconcile stops there. A real object of the same kind, namespace and name
 * always wins over a derived one (Flagger has simply created it already): callers add derived
 * objects only where no real one exists. Each derived object's source names its Canary.
 */
public final class FlaggerObjects {
  private FlaggerObjects() {}

  /** The label keys Flagger looks for in the target's pod selector, in order. */
  static final List<String> LABEL_KEYS = List.of("app", "name", "app.kubernetes.io/name");

  /**
   * What Flagger would create.
   *
   * @param objects the derived objects, in Canary order then Flagger's creation order
   * @param problems problems of the Canaries (and of derived documents the API server would reject)
   */
  public record Derived(List<LoadedObject> objects, List<Problem> problems) {
    public Derived {
      objects = List.copyOf(objects);
      problems = List.copyOf(problems);
    }
  }

  /** Derives from what one read found. */
  public static Derived derive(LoadResult load) {
    List<Mesh> meshes = new ArrayList<>();
    Map<String, K8sNamespace> namespaces = new HashMap<>();
    for (LoadedObject o : load.objects()) {
      if (o.object() instanceof Mesh m) {
        meshes.add(m);
      } else if (o.object() instanceof K8sNamespace n) {
        namespaces.put(n.name(), n);
      }
    }
    return derive(load.canaries(), load.workloads(), meshes, namespaces);
  }

  /** Derives from Canaries, their possible targets, and the Meshes and Namespaces of the input. */
  public static Derived derive(
      List<CanaryInfo> canaries, List<Workload> workloads, Collection<Mesh> meshes, Map<String, K8sNamespace> namespaces) {
    Map<ObjectRef, Workload> targets = new HashMap<>();
    workloads.forEach(w -> targets.put(w.ref(), w));
    Map<ObjectRef, CanaryInfo> owners = new HashMap<>();
    List<LoadedObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (CanaryInfo c : canaries) {
      if (!CanaryInfo.SERVED_API_VERSION.equals(c.apiVersion()) || c.router() == null) {
        continue; // the API server rejects it: Flagger never sees it (CanaryRules says so)
      }
      if (c.provider() == null) {
        String mesh = meshOf(c.ref().namespace(), meshes, namespaces);
        if (mesh == null) {
          continue;
        }
        problems.add(problem(Severity.WARNING, Reason.Accepted, c, "spec.provider", "not set: assumed Flagger's global"
            + " mesh provider " + CanaryInfo.APPMESH_V1BETA2 + ", as namespace " + c.ref().namespace() + " is in mesh "
            + mesh + "; the App Mesh objects Flagger creates from this Canary are derived"));
      } else if (!c.provider().equals("appmesh") && !c.provider().startsWith(CanaryInfo.APPMESH_V1BETA2)) {
        continue; // another mesh's Canary
      }
      FlaggerDocuments.Plan plan = plan(c, targets, problems);
      if (plan != null) {
        create(plan, owners, objects, problems);
      }
    }
    return new Derived(objects, problems);
  }

  /** What the documents need, or null (with errors) when Flagger could not initialize the Canary. */
  private static FlaggerDocuments.Plan plan(CanaryInfo c, Map<ObjectRef, Workload> targets, List<Problem> problems) {
    CanaryInfo.Router r = c.router();
    int before = problems.size();
    for (CanaryInfo.FieldValue u : r.unreadable()) {
      problems.add(problem(Severity.ERROR, Reason.MalformedInput, c, u.field(), "expected " + u.value()
          + " (Flagger's Canary CRD); the API server rejects the Canary"));
    }
    if (r.targetName() == null || r.targetName().isEmpty()) {
      problems.add(problem(Severity.ERROR, Reason.MalformedInput, c, "spec.targetRef.name",
          "required (Flagger's Canary CRD): it names the pods and the App Mesh objects Flagger creates"));
    }
    if (r.service().port() == null || r.service().port() <= 0) {
      problems.add(problem(Severity.ERROR, Reason.InvalidSpec, c, "spec.service.port", "required: Flagger writes it as"
          + " the port of the VirtualNode and VirtualRouter listeners, which App Mesh's CRD requires to be 1-65535"));
    }
    if (problems.size() > before) {
      return null;
    }
    String labelKey = "app";
    String kind = r.targetKind() == null ? "Deployment" : r.targetKind();
    Workload target = targets.get(new ObjectRef(kind, c.ref().namespace(), r.targetName()));
    if (target != null) {
      labelKey = LABEL_KEYS.stream().filter(target.matchLabels()::containsKey).findFirst().orElse(null);
      if (labelKey == null) {
        problems.add(problem(Severity.ERROR, Reason.InvalidSpec, c, "spec.targetRef.name", kind.toLowerCase(java.util.Locale.ROOT)
            + " " + target.ref().name() + "." + target.ref().namespace() + " spec.selector.matchLabels must contain one of "
            + LABEL_KEYS + " (Flagger stops here: no App Mesh object is created)"));
        return null;
      }
    }
    CanaryInfo.Service s = r.service();
    Long timeout = GoDuration.millis(s.timeout());
    if (s.timeout() != null && !s.timeout().isEmpty() && timeout == null) {
      problems.add(problem(Severity.WARNING, Reason.Accepted, c, "spec.service.timeout", "\"" + s.timeout() + "\" is not a"
          + " Go duration (e.g. 15s): Flagger sets no timeout on the routes and listeners"));
    }
    Long perTry = s.retries() == null ? null : GoDuration.millis(s.retries().perTryTimeout());
    if (s.retries() != null && perTry == null) {
      problems.add(problem(Severity.WARNING, Reason.Accepted, c, "spec.service.retries.perTryTimeout", (s.retries()
          .perTryTimeout() == null ? "not set" : "\"" + s.retries().perTryTimeout() + "\" is not a Go duration")
          + ": Flagger uses 250 ms"));
    }
    String apex = s.name() == null || s.name().isEmpty() ? r.targetName() : s.name();
    return new FlaggerDocuments.Plan(c, apex, labelKey, timeout, perTry);
  }

  /** Reads the documents in Flagger's order; the first the API server would reject stops the rest. */
  private static void create(
      FlaggerDocuments.Plan plan, Map<ObjectRef, CanaryInfo> owners, List<LoadedObject> objects, List<Problem> problems) {
    CanaryInfo c = plan.canary();
    SourceRef source = c.source().derivedFrom(c.ref());
    List<ObjectNode> docs = FlaggerDocuments.build(plan);
    boolean conflictReported = false;
    for (int i = 0; i < docs.size(); i++) {
      ManifestLoader.Sink sink = new ManifestLoader.Sink();
      new DocumentConverter(sink).convert(docs.get(i), source);
      problems.addAll(sink.problems);
      if (sink.objects.isEmpty() || sink.problems.stream().anyMatch(Problem::isError)) {
        List<String> rest = new ArrayList<>();
        for (ObjectNode d : docs.subList(i + 1, docs.size())) {
          rest.add(d.get("kind").stringValue() + " " + d.get("metadata").get("name").stringValue());
        }
        problems.add(problem(Severity.WARNING, Reason.Accepted, c, "", "the API server rejects "
            + docs.get(i).get("kind").stringValue() + " " + docs.get(i).get("metadata").get("name").stringValue()
            + " as Flagger writes it from this Canary, and Flagger stops there"
            + (rest.isEmpty() ? "" : ": " + String.join(", ", rest) + " are not created")));
        return;
      }
      LoadedObject o = sink.objects.get(0);
      CanaryInfo first = owners.putIfAbsent(o.ref(), c);
      if (first != null) {
        if (!conflictReported) {
          conflictReported = true;
          problems.add(problem(Severity.ERROR, Reason.NameConflict, c, c.router().service().name() != null
              ? "spec.service.name" : "spec.targetRef.name", "Flagger would create " + o.ref() + " for this Canary,"
              + " but Canary " + first.ref().namespace() + "/" + first.ref().name() + " (" + first.source() + ") creates"
              + " it already: two Canaries with the same apex name \"" + plan.apex() + "\" fight over its objects"));
        }
        continue;
      }
      objects.add(o);
    }
  }

  /** The mesh whose namespaceSelector takes the namespace, as App Mesh's webhook would pick it, or null. */
  private static String meshOf(String namespace, Collection<Mesh> meshes, Map<String, K8sNamespace> namespaces) {
    K8sNamespace ns = namespaces.get(namespace);
    if (ns == null) {
      // As the model assumes for objects whose Namespace is not in the input: the only mesh.
      return meshes.size() == 1 ? meshes.iterator().next().name() : null;
    }
    List<String> selecting = new ArrayList<>();
    for (Mesh m : meshes) {
      LabelSelector sel = m.spec().namespaceSelector();
      if (sel != null && sel.matches(ns.labels())) {
        selecting.add(m.name());
      }
    }
    return selecting.size() == 1 ? selecting.get(0) : null;
  }

  private static Problem problem(Severity s, Reason r, CanaryInfo c, String field, String message) {
    return new Problem(s, r, c.ref(), field, message, c.source());
  }
}
