package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A BackendGroup (experimental in App Mesh): a named set of VirtualServices. */
public record BackendGroup(ObjectMeta metadata, Spec spec) implements MeshObject {

  public BackendGroup {
    spec = spec == null ? new Spec(null, null) : spec;
  }

  @Override
  public Kind kind() {
    return Kind.BackendGroup;
  }

  /** {@code BackendGroupSpec}; note the lowercase JSON key {@code virtualservices}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Spec(List<Reference> virtualservices, MeshReference meshRef) {
    public Spec {
      virtualservices = Lists.copy(virtualservices);
    }
  }
}
