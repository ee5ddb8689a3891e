package io.appmeshxds.tracing.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code aws.cloudMap}: how VirtualNodes with {@code serviceDiscovery.awsCloudMap} are served and
 * their pods registered.
 *
 * <pre>
 * aws:
 *   cloudMap:
 *     refreshSeconds: 15        # DiscoverInstances per question, every refreshSeconds (±20 % jitter)
 *     maxBackoffSeconds: 60     # after failures: 1 s, 2 s, 4 s … up to this
 *     maxInstances: 1000        # DiscoverInstances MaxResults (1-1000; Cloud Map's own default is 100)
 *     healthStatus: HEALTHY     # HEALTHY | HEALTHY_OR_ELSE_ALL | ALL
 *     startupWaitSeconds: 60    # a start publishes nothing until every question is answered or this passed
 *     registration:             # Kubernetes mode, the lease holder only
 *       enabled: true
 *       createServices: true    # create a missing service as the App Mesh controller did
 *       customHealthCheck: false   # services we create get HealthCheckCustomConfig (the controller's flag)
 *       dnsTtlSeconds: 300      # TTL of the DNS records of services we create in DNS namespaces
 *       callsPerSecond: 4       # Cloud Map calls that change something, at most
 *       resyncSeconds: 300      # every so often, compare with Cloud Map's instance list again
 *       readinessGateDelaySeconds: 20   # registered this long before the pod's readiness gate turns True
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudMapConfig(Integer refreshSeconds, Integer maxBackoffSeconds, Integer maxInstances, String healthStatus,
    Integer startupWaitSeconds, Registration registration) {

  /** Health statuses DiscoverInstances may be asked for (UNHEALTHY alone would serve only failing instances). */
  public static final List<String> HEALTH_STATUSES = List.of("HEALTHY", "HEALTHY_OR_ELSE_ALL", "ALL");

  public CloudMapConfig {
    refreshSeconds = refreshSeconds == null ? 15 : refreshSeconds;
    maxBackoffSeconds = maxBackoffSeconds == null ? 60 : maxBackoffSeconds;
    maxInstances = maxInstances == null ? 1000 : maxInstances;
    healthStatus = healthStatus == null ? "HEALTHY" : healthStatus;
    startupWaitSeconds = startupWaitSeconds == null ? 60 : startupWaitSeconds;
    registration = registration == null ? new Registration(null, null, null, null, null, null, null) : registration;
  }

  public static CloudMapConfig defaults() {
    return new CloudMapConfig(null, null, null, null, null, null);
  }

  /** {@code aws.cloudMap.registration}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Registration(Boolean enabled, Boolean createServices, Boolean customHealthCheck, Integer dnsTtlSeconds,
      Integer callsPerSecond, Integer resyncSeconds, Integer readinessGateDelaySeconds) {
    public Registration {
      enabled = enabled == null || enabled;
      createServices = createServices == null || createServices;
      customHealthCheck = customHealthCheck != null && customHealthCheck;
      dnsTtlSeconds = dnsTtlSeconds == null ? 300 : dnsTtlSeconds;
      callsPerSecond = callsPerSecond == null ? 4 : callsPerSecond;
      resyncSeconds = resyncSeconds == null ? 300 : resyncSeconds;
      readinessGateDelaySeconds = readinessGateDelaySeconds == null ? 20 : readinessGateDelaySeconds;
    }
  }

  /** Range checks, as {@code path: message} lines. */
  List<String> problems(String name) {
    List<String> out = new ArrayList<>();
    String at = name + ": aws.cloudMap.";
    range(out, at + "refreshSeconds", refreshSeconds, 1, 3600);
    range(out, at + "maxBackoffSeconds", maxBackoffSeconds, 1, 3600);
    range(out, at + "maxInstances", maxInstances, 1, 1000);
    range(out, at + "startupWaitSeconds", startupWaitSeconds, 0, 3600);
    if (!HEALTH_STATUSES.contains(healthStatus)) {
      out.add(at + "healthStatus: must be one of " + HEALTH_STATUSES + ", got " + healthStatus);
    }
    range(out, at + "registration.dnsTtlSeconds", registration.dnsTtlSeconds(), 0, 2147483647);
    range(out, at + "registration.callsPerSecond", registration.callsPerSecond(), 1, 1000);
    range(out, at + "registration.resyncSeconds", registration.resyncSeconds(), 10, 86400);
    range(out, at + "registration.readinessGateDelaySeconds", registration.readinessGateDelaySeconds(), 0, 3600);
    return out;
  }

  private static void range(List<String> out, String at, int v, int min, int max) {
    if (v < min || v > max) {
      out.add(at + ": must be between " + min + " and " + max + ", got " + v);
    }
  }
}
