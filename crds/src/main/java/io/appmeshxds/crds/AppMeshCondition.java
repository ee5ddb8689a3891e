package io.appmeshxds.crds;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One entry of {@code status.conditions}, as App Mesh's CRDs define it. */
public class AppMeshCondition {
  @Required
  @JsonPropertyDescription("Type of the condition, e.g. VirtualNodeActive.")
  public String type;

  @Required
  @JsonPropertyDescription("Status of the condition, one of True, False, Unknown.")
  public String status;

  @JsonPropertyDescription("Last time the condition transitioned from one status to another.")
  public java.time.OffsetDateTime lastTransitionTime;

  @JsonPropertyDescription("The reason for the condition's last transition.")
  public String reason;

  @JsonPropertyDescription("A human readable message indicating details about the transition.")
  public String message;
}
