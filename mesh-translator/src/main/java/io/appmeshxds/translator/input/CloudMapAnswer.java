package io.appmeshxds.translator.input;

import java.time.Instant;
import java.util.List;

/**
 * What the control plane knows of one {@link CloudMapQuery}: the instances of the last successful
 * DiscoverInstances call, and whether the calls since then fail. A failing call never replaces
 * the instances: the cluster keeps the last known endpoints, and the VirtualNode's status says
 * since when they are stale. Nothing here changes while nothing changes in Cloud Map (no call
 * count, no timestamp of the last success), so an unchanged answer re-plans nothing.
 *
 * @param answered whether any call succeeded (false: only failures so far, no instances known)
 * @param instances instances of the last successful answer, sorted by id
 * @param truncated the last answer held as many instances as the call asked for at most, so
 *     Cloud Map may hold more that were not returned
 * @param error why the calls fail now (AWS error code and message, never credentials), or null
 *     when the last call succeeded
 * @param failingSince when the current run of failures began, or null
 */
public record CloudMapAnswer(boolean answered, List<Instance> instances, boolean truncated, String error,
    Instant failingSince) {

  public CloudMapAnswer {
    instances = List.copyOf(instances);
  }

  /** One Cloud Map instance: its id and the addresses it registered ({@code AWS_INSTANCE_IPV4/IPV6}), null when absent. */
  public record Instance(String id, String ipv4, String ipv6) {

    /**
     * The address App Mesh used for this instance under a mesh's IP preference (App Mesh user
     * guide, "IP version preference"): none set, the IPv4 address if there is one, else the IPv6
     * one; {@code IPv4_ONLY} only the IPv4 address and {@code IPv6_ONLY} only the IPv6 one (none:
     * the instance is not used). Null when no address qualifies.
     */
    public String address(io.appmeshxds.translator.api.Mesh.IpPreference preference) {
      if (preference == null) {
        return ipv4 != null ? ipv4 : ipv6;
      }
      return switch (preference) {
        case IPv4_ONLY -> ipv4;
        case IPv6_ONLY -> ipv6;
      };
    }
  }

  /** A successful answer. */
  public static CloudMapAnswer of(List<Instance> instances, boolean truncated) {
    return new CloudMapAnswer(true, instances, truncated, null, null);
  }

  /**
   * This answer after a failed call: the same instances, with the error and when the failures
   * began (to the second: it is shown in statuses).
   */
  public CloudMapAnswer failed(String why, Instant at) {
    return new CloudMapAnswer(answered, instances, truncated, why,
        failingSince != null ? failingSince : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  /** No call succeeded yet and the last one failed. */
  public static CloudMapAnswer failing(String why, Instant since) {
    return new CloudMapAnswer(false, List.of(), false, why, since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  public boolean failing() {
    return error != null;
  }
}
