package io.appmeshxds.translator.input;

import java.util.List;
import java.util.Map;

/**
 * The parts of a Flagger {@code Canary} that decide whether and how Flagger writes the App Mesh
 * objects we serve: kept so {@code validate} can catch the mistakes that only failed in the cluster,
 * and so the objects Flagger creates can be derived ({@link FlaggerObjects}).
 *
 * @param ref the Canary
 * @param apiVersion as written
 * @param provider {@code spec.provider}, or null
 * @param matchEntries number of {@code spec.analysis.match[]} entries
 * @param headerRegexes every {@code regex} under {@code spec.analysis.match[].headers}, with its path
 * @param source where it came from
 * @param router what Flagger's App Mesh v1beta2 router reads from it
 */
public record CanaryInfo(
    ObjectRef ref,
    String apiVersion,
    String provider,
    int matchEntries,
    List<FieldValue> headerRegexes,
    SourceRef source,
    Router router) {

  /** Flagger's group. */
  public static final String GROUP = "flagger.app";
  /** The only version the Canary CRD serves. */
  public static final String SERVED_API_VERSION = "flagger.app/v1beta1";
  /** Flagger's App Mesh v1beta2 provider. */
  public static final String APPMESH_V1BETA2 = "appmesh:v1beta2";
  /** The Canary annotation that turns on the VirtualNodes' access log. */
  public static final String ACCESS_LOG_ANNOTATION = "appmesh.flagger.app/accesslog";

  public CanaryInfo {
    headerRegexes = List.copyOf(headerRegexes);
  }

  /** A value and its field path. */
  public record FieldValue(String field, String value) {}

  /**
   * What Flagger's App Mesh v1beta2 router reads from a Canary (flagger-appmesh.md §3). Absent
   * fields are null (lists and maps empty).
   *
   * @param targetKind {@code spec.targetRef.kind}
   * @param targetName {@code spec.targetRef.name}: pod selector values and the default apex name
   * @param accessLog whether the Canary has {@code appmesh.flagger.app/accesslog: enabled}
   * @param service {@code spec.service}
   * @param headers every header condition of every {@code spec.analysis.match[]} entry, in order
   * @param unreadable fields whose type breaks Flagger's Canary CRD ({@code value}: what was expected)
   */
  public record Router(
      String targetKind,
      String targetName,
      boolean accessLog,
      Service service,
      List<Header> headers,
      List<FieldValue> unreadable) {
    public Router {
      headers = List.copyOf(headers);
      unreadable = List.copyOf(unreadable);
    }
  }

  /**
   * {@code spec.service}.
   *
   * @param name apex name override
   * @param port {@code port}
   * @param targetPort {@code targetPort} when it is an integer
   * @param portName {@code portName}
   * @param timeout {@code timeout}, a Go duration as written
   * @param retries {@code retries}, or null
   * @param prefix {@code match[0].uri.prefix}
   * @param backends {@code backends}: virtual service names or ARNs
   * @param hosts {@code hosts}
   * @param apexLabels {@code apex.labels}
   * @param apexAnnotations {@code apex.annotations}
   */
  public record Service(
      String name,
      Long port,
      Long targetPort,
      String portName,
      String timeout,
      Retries retries,
      String prefix,
      List<String> backends,
      List<String> hosts,
      Map<String, String> apexLabels,
      Map<String, String> apexAnnotations) {
    public Service {
      backends = List.copyOf(backends);
      hosts = List.copyOf(hosts);
      apexLabels = Map.copyOf(apexLabels);
      apexAnnotations = Map.copyOf(apexAnnotations);
    }
  }

  /** {@code spec.service.retries}. */
  public record Retries(Long attempts, String perTryTimeout, String retryOn) {}

  /** One header condition of {@code spec.analysis.match[].headers}; unset matchers are null. */
  public record Header(String name, String exact, String prefix, String regex, String suffix) {}
}
