package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.MeshObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;

/**
 * Immutable snapshot of every input translation reads: App Mesh objects, Namespaces, Services,
 * EndpointSlices and Gateway API routes, where each came from, and the problems found while reading them. Maps are sorted
 * by {@link ObjectRef}, so everything downstream iterates in a deterministic order.
 *
 * @param objects App Mesh objects by ref
 * @param namespaces Namespaces by name
 * @param services Services by ref
 * @param endpointSlices EndpointSlices by ref
 * @param sources where objects came from (empty for Kubernetes)
 * @param loadProblems problems found while reading (malformed documents, unknown fields)
 * @param dnsAnswers addresses the server resolved for VirtualNode DNS host names that are neither IP
 *     literals nor Kubernetes Service names (translation itself never resolves anything)
 * @param cloudMap what the server discovered in AWS Cloud Map for each question VirtualNodes with
 *     {@code serviceDiscovery.awsCloudMap} ask (translation itself never calls AWS)
 * @param acm what the server fetched from ACM and ACM Private CA for the ARNs the mesh references
 *     (translation itself never calls AWS)
 * @param gatewayApi Gateway API objects (HTTPRoutes, GRPCRoutes, ReferenceGrants) by ref
 */
public record MeshResources(
    SortedMap<ObjectRef, MeshObject> objects,
    SortedMap<String, K8sNamespace> namespaces,
    SortedMap<ObjectRef, K8sService> services,
    SortedMap<ObjectRef, EndpointSlice> endpointSlices,
    Map<ObjectRef, SourceRef> sources,
    List<Problem> loadProblems,
    Map<String, List<String>> dnsAnswers,
    Map<CloudMapQuery, CloudMapAnswer> cloudMap,
    AcmMaterial.Fetched acm,
    SortedMap<ObjectRef, GatewayApi.Resource> gatewayApi) {

  public MeshResources {
    objects = readOnly(objects);
    namespaces = readOnly(namespaces);
    services = readOnly(services);
    endpointSlices = readOnly(endpointSlices);
    sources = sources instanceof PMap ? sources : Collections.unmodifiableMap(sources);
    loadProblems = List.copyOf(loadProblems);
    dnsAnswers = dnsAnswers instanceof PMap ? dnsAnswers : Map.copyOf(dnsAnswers);
    cloudMap = cloudMap == null ? Map.of() : cloudMap instanceof PMap ? cloudMap : Map.copyOf(cloudMap);
    acm = acm == null ? AcmMaterial.Fetched.NONE : acm;
    gatewayApi = gatewayApi == null ? Collections.emptySortedMap() : readOnly(gatewayApi);
  }

  /** Without Gateway API objects. */
  public MeshResources(SortedMap<ObjectRef, MeshObject> objects, SortedMap<String, K8sNamespace> namespaces,
      SortedMap<ObjectRef, K8sService> services, SortedMap<ObjectRef, EndpointSlice> endpointSlices,
      Map<ObjectRef, SourceRef> sources, List<Problem> loadProblems, Map<String, List<String>> dnsAnswers,
      Map<CloudMapQuery, CloudMapAnswer> cloudMap, AcmMaterial.Fetched acm) {
    this(objects, namespaces, services, endpointSlices, sources, loadProblems, dnsAnswers, cloudMap, acm, null);
  }

  /** Without Cloud Map answers or ACM material. */
  public MeshResources(SortedMap<ObjectRef, MeshObject> objects, SortedMap<String, K8sNamespace> namespaces,
      SortedMap<ObjectRef, K8sService> services, SortedMap<ObjectRef, EndpointSlice> endpointSlices,
      Map<ObjectRef, SourceRef> sources, List<Problem> loadProblems, Map<String, List<String>> dnsAnswers) {
    this(objects, namespaces, services, endpointSlices, sources, loadProblems, dnsAnswers, Map.of(), null, null);
  }

  /** The same inputs with other Cloud Map answers. */
  public MeshResources withCloudMap(Map<CloudMapQuery, CloudMapAnswer> answers) {
    return new MeshResources(objects, namespaces, services, endpointSlices, sources, loadProblems, dnsAnswers, answers, acm, gatewayApi);
  }

  /** The same inputs with other App Mesh objects. */
  public MeshResources withObjects(SortedMap<ObjectRef, MeshObject> others) {
    return new MeshResources(others, namespaces, services, endpointSlices, sources, loadProblems, dnsAnswers, cloudMap, acm, gatewayApi);
  }

  /** The same inputs with other ACM material. */
  public MeshResources withAcm(AcmMaterial.Fetched material) {
    return new MeshResources(objects, namespaces, services, endpointSlices, sources, loadProblems, dnsAnswers, cloudMap, material, gatewayApi);
  }

  /** Why: persistent maps are immutable already; keeping the instance lets {@link InputChanges} skip unchanged maps. */
  private static <K, V> SortedMap<K, V> readOnly(SortedMap<K, V> m) {
    return m instanceof PSortedMap ? m : Collections.unmodifiableSortedMap(m);
  }

  public static MeshResources empty() {
    return builder().build();
  }

  /**
   * Builds a snapshot from what the loader read, with the objects Flagger creates from its Canaries
   * ({@link FlaggerObjects}) where no object of the same identity was read. An object defined more
   * than once keeps its last copy, as {@code kubectl apply} does, with a warning naming the first
   * and the last place.
   */
  public static MeshResources of(LoadResult load) {
    Builder b = builder();
    b.loadProblems.addAll(load.problems());
    for (LoadedObject lo : load.objects()) {
      b.add(lo.object(), lo.ref(), lo.source());
    }
    FlaggerObjects.Derived derived = FlaggerObjects.derive(load);
    b.loadProblems.addAll(derived.problems());
    derived.objects().forEach(b::addDerived);
    return b.build();
  }

  /**
   * The warning for an object defined more than once: {@code kubectl apply} keeps the last copy, and
   * so do we. Reported at the last copy's source.
   */
  public static Problem redefined(ObjectRef ref, SourceRef first, SourceRef last) {
    String places = first == null || last == null ? "" : " (first at " + first + ", last at " + last + ")";
    return new Problem(Severity.WARNING, Reason.Accepted, ref, "metadata.name",
        "defined more than once" + places + "; the last copy is used, as kubectl apply does", last);
  }

  /** Objects of one kind, in ref order. */
  @SuppressWarnings("unchecked")
  public <T extends MeshObject> List<T> ofKind(Kind kind) {
    List<T> out = new ArrayList<>();
    ObjectRef from = new ObjectRef(kind.name(), null, "");
    for (Map.Entry<ObjectRef, MeshObject> e : objects.tailMap(from).entrySet()) {
      if (!e.getKey().kind().equals(kind.name())) {
        break;
      }
      out.add((T) e.getValue());
    }
    return out;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A mutable builder; {@link #build()} copies nothing, so a builder is used once. */
  public static final class Builder {
    private final TreeMap<ObjectRef, MeshObject> objects = new TreeMap<>();
    private final TreeMap<String, K8sNamespace> namespaces = new TreeMap<>();
    private final TreeMap<ObjectRef, K8sService> services = new TreeMap<>();
    private final TreeMap<ObjectRef, EndpointSlice> slices = new TreeMap<>();
    private final TreeMap<ObjectRef, GatewayApi.Resource> gatewayApi = new TreeMap<>();
    private final Map<ObjectRef, SourceRef> sources = new TreeMap<>();
    private final List<Problem> loadProblems = new ArrayList<>();
    private final Map<String, List<String>> dns = new TreeMap<>();
    private final TreeMap<String, AcmMaterial.Certificate> acmCertificates = new TreeMap<>();
    private final TreeMap<String, AcmMaterial.Authority> acmAuthorities = new TreeMap<>();
    private final Map<CloudMapQuery, CloudMapAnswer> cloudMap = new TreeMap<>();
    /** Refs added more than once, with where their first copy came from (null: unknown). */
    private final Map<ObjectRef, SourceRef> firstSources = new TreeMap<>();

    /**
     * Adds any supported object. A ref added again replaces the earlier copy (the last copy wins, as
     * with {@code kubectl apply}); {@link #build()} reports it once, naming the first and the last
     * place.
     */
    public Builder add(Object o, ObjectRef ref, SourceRef source) {
      Object previous;
      if (o instanceof MeshObject m) {
        previous = objects.put(ref, m);
      } else if (o instanceof K8sNamespace n) {
        previous = namespaces.put(n.name(), n);
      } else if (o instanceof K8sService s) {
        previous = services.put(ref, s);
      } else if (o instanceof EndpointSlice s) {
        previous = slices.put(ref, s);
      } else if (o instanceof GatewayApi.Resource g) {
        previous = gatewayApi.put(ref, g);
      } else {
        throw new IllegalArgumentException("unsupported input " + o.getClass());
      }
      if (previous != null && !firstSources.containsKey(ref)) {
        firstSources.put(ref, sources.get(ref));
      }
      if (source != null) {
        sources.put(ref, source);
      } else {
        sources.remove(ref);
      }
      return this;
    }

    /**
     * Adds an object Flagger creates, unless an object of the same identity is there: a real object
     * always wins, silently (Flagger has simply created it already).
     */
    public Builder addDerived(LoadedObject o) {
      if (o.object() instanceof MeshObject m && !objects.containsKey(o.ref())) {
        objects.put(o.ref(), m);
        sources.put(o.ref(), o.source());
      }
      return this;
    }

    public Builder add(MeshObject o) {
      return add(o, ObjectRef.of(o), null);
    }

    public Builder addLoadProblem(Problem p) {
      loadProblems.add(p);
      return this;
    }

    /** Records what the server resolved for a DNS host name. */
    public Builder dnsAnswer(String hostname, List<String> addresses) {
      dns.put(hostname, List.copyOf(addresses));
      return this;
    }

    /** Records an exported ACM certificate (e.g. a test's, or {@code render}'s stand-in). */
    public Builder acmCertificate(AcmMaterial.Certificate c) {
      acmCertificates.put(c.arn(), c);
      return this;
    }

    /** Records an ACM Private CA's certificate. */
    public Builder acmAuthority(AcmMaterial.Authority a) {
      acmAuthorities.put(a.arn(), a);
      return this;
    }

    /** Records what the server discovered in Cloud Map for a question. */
    public Builder cloudMapAnswer(CloudMapQuery query, CloudMapAnswer answer) {
      cloudMap.put(query, answer);
      return this;
    }

    public MeshResources build() {
      firstSources.forEach((ref, first) -> loadProblems.add(redefined(ref, first, sources.get(ref))));
      firstSources.clear();
      return new MeshResources(objects, namespaces, services, slices, sources, loadProblems, dns, cloudMap,
          new AcmMaterial.Fetched(acmCertificates, acmAuthorities), gatewayApi);
    }
  }
}
