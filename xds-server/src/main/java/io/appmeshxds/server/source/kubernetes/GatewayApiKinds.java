package io.appmeshxds.server.source.kubernetes;

import io.appmeshxds.translator.input.GatewayApi;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * The Gateway API kinds watched in Kubernetes mode ({@code gateway.networking.k8s.io}), and how to
 * tell from API discovery whether the cluster serves them at all (Gateway API's CRDs are optional).
 */
public enum GatewayApiKinds {
  /** {@code v1} (standard channel since Gateway API v1.0). */
  HTTPROUTE("HTTPRoute", "httproutes", List.of("v1")),
  /** {@code v1} (standard channel since Gateway API v1.1; older v1alpha2 GRPCRoutes are not read). */
  GRPCROUTE("GRPCRoute", "grpcroutes", List.of("v1")),
  /** {@code v1beta1} (the standard channel's version), else {@code v1}. */
  REFERENCEGRANT("ReferenceGrant", "referencegrants", List.of("v1beta1", "v1")),
  /** {@code v1}: north-south, a Gateway of our GatewayClass is served as a VirtualGateway-style Envoy. */
  GATEWAY("Gateway", "gateways", List.of("v1")),
  /** {@code v1}, cluster-scoped: which Gateways are ours ({@code spec.controllerName}). */
  GATEWAYCLASS("GatewayClass", "gatewayclasses", List.of("v1"), false);

  private final String kind;
  private final String plural;
  private final List<String> versions;
  private final boolean namespaced;

  GatewayApiKinds(String kind, String plural, List<String> versions) {
    this(kind, plural, versions, true);
  }

  GatewayApiKinds(String kind, String plural, List<String> versions, boolean namespaced) {
    this.kind = kind;
    this.plural = plural;
    this.versions = versions;
    this.namespaced = namespaced;
  }

  /** Whether objects of the kind live in a namespace (GatewayClass does not). */
  public boolean namespaced() {
    return namespaced;
  }

  public String kind() {
    return kind;
  }

  public String plural() {
    return plural;
  }

  /** The kind by its Kubernetes name, or null. */
  public static GatewayApiKinds byKind(String kind) {
    for (GatewayApiKinds k : values()) {
      if (k.kind.equals(kind)) {
        return k;
      }
    }
    return null;
  }

  /** The resource definition in one version. */
  public ResourceDefinitionContext context(String version) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GatewayApi.GROUP)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /** The version status is written in (routes are read and written as {@code v1}). */
  public ResourceDefinitionContext context() {
    return context(versions.get(0));
  }

  /** What API discovery says about a kind. */
  public sealed interface Discovery {}

  /** Served in this version. */
  public record Served(String version) implements Discovery {}

  /** Not served: the API server answered and has no such resource (the CRD is not installed). */
  public record Absent() implements Discovery {}

  /** Unknown: discovery failed (network, 5xx, 403); ask again later. */
  public record Unknown(String error) implements Discovery {}

  /**
   * Asks API discovery ({@code GET /apis/gateway.networking.k8s.io/<version>}, readable by every
   * authenticated client) in which of our versions the kind is served.
   */
  public Discovery discover(KubernetesClient client) {
    for (String v : versions) {
      APIResourceList list;
      try {
        list = client.getApiResources(GatewayApi.GROUP + "/" + v);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue;
        }
        return new Unknown(e.getCode() == 0 ? String.valueOf(e.getMessage()) : "HTTP " + e.getCode() + ": " + e.getMessage());
      } catch (RuntimeException e) {
        return new Unknown(e.toString());
      }
      if (list != null && list.getResources() != null) {
        for (APIResource r : list.getResources()) {
          if (plural.equals(r.getName())) {
            return new Served(v);
          }
        }
      }
    }
    return new Absent();
  }
}
