package io.appmeshxds.server.source.kubernetes;

import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.Json;
import io.appmeshxds.translator.input.K8sNamespace;
import io.appmeshxds.translator.input.K8sService;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes objects → the translator's records. What varies on every write without changing the
 * meaning ({@code resourceVersion}, {@code managedFields}, timestamps, {@code status}, kubectl's
 * last-applied copy) is dropped here, so a status-only update or a resync converts to an equal
 * record and the store sees no change.
 */
final class ResourceConverter {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final KubernetesSerialization serialization;
  private final ManifestLoader loader = new ManifestLoader();

  ResourceConverter(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /** An App Mesh object read with the manifest rules; problems carry no source (it is the cluster). */
  Converted appMesh(GenericKubernetesResource r) {
    JsonNode doc = Json.JSON.readTree(serialization.asJson(r));
    if (doc instanceof ObjectNode o) {
      o.remove("status");
      if (o.get("metadata") instanceof ObjectNode m) {
        m.remove("resourceVersion");
        m.remove("managedFields");
        if (m.get("annotations") instanceof ObjectNode a) {
          a.remove(LAST_APPLIED);
        }
      }
    }
    LoadResult load = loader.loadDocument("kubernetes", doc);
    List<Problem> problems = new ArrayList<>();
    load.problems().forEach(p -> problems.add(p.withSource(null)));
    Object object = load.objects().isEmpty() ? null : load.objects().get(0).object();
    return new Converted(object, problems);
  }

  /** Result of reading an App Mesh object: the record (null when unreadable) and its problems. */
  record Converted(Object object, List<Problem> problems) {}

  static ObjectRef namespaceRef(String name) {
    return new ObjectRef("Namespace", null, name);
  }

  static K8sNamespace namespace(Namespace ns) {
    return new K8sNamespace(ns.getMetadata().getName(), ns.getMetadata().getLabels());
  }

  static K8sService service(Service s) {
    List<K8sService.Port> ports = new ArrayList<>();
    if (s.getSpec() != null && s.getSpec().getPorts() != null) {
      for (ServicePort p : s.getSpec().getPorts()) {
        if (p.getPort() == null) {
          continue;
        }
        IntOrString t = p.getTargetPort();
        Integer target = t != null && t.getIntVal() != null ? t.getIntVal() : null;
        ports.add(new K8sService.Port(p.getName(), p.getPort(), target, p.getProtocol()));
      }
    }
    return new K8sService(s.getMetadata().getNamespace(), s.getMetadata().getName(), ports);
  }

  static EndpointSlice endpointSlice(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
    List<EndpointSlice.Endpoint> endpoints = new ArrayList<>();
    if (s.getEndpoints() != null) {
      for (Endpoint e : s.getEndpoints()) {
        Boolean ready = e.getConditions() == null ? null : e.getConditions().getReady();
        endpoints.add(new EndpointSlice.Endpoint(e.getAddresses(), ready, e.getZone()));
      }
    }
    List<EndpointSlice.Port> ports = new ArrayList<>();
    if (s.getPorts() != null) {
      for (EndpointPort p : s.getPorts()) {
        ports.add(new EndpointSlice.Port(p.getName(), p.getPort(), p.getProtocol()));
      }
    }
    Map<String, String> labels = s.getMetadata().getLabels();
    return new EndpointSlice(s.getMetadata().getNamespace(), s.getMetadata().getName(),
        labels == null ? null : labels.get(EndpointSlice.SERVICE_NAME_LABEL), s.getAddressType(), endpoints, ports);
  }
}
