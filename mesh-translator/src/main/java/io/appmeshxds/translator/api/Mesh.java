package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A Mesh (cluster-scoped). */
public record Mesh(ObjectMeta metadata, Spec spec) implements MeshObject {

  public Mesh {
    spec = spec == null ? new Spec(null, null, null, null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.Mesh;
  }

  /** {@code MeshSpec}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      String awsName,
      LabelSelector namespaceSelector,
      EgressFilter egressFilter,
      String meshOwner,
      MeshServiceDiscovery meshServiceDiscovery) {}

  /** {@code egressFilter: {type}}; App Mesh's default is DROP_ALL. */
  public record EgressFilter(@Required EgressFilterType type) {}

  /** Egress policy. */
  public enum EgressFilterType {
    ALLOW_ALL,
    DROP_ALL
  }

  /** {@code meshServiceDiscovery: {ipPreference?}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MeshServiceDiscovery(IpPreference ipPreference) {}

  /** IP preference values the CRD accepts. */
  public enum IpPreference {
    IPv6_ONLY,
    IPv4_ONLY
  }
}
