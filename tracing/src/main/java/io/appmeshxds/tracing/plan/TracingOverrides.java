package io.appmeshxds.tracing.plan;

import io.appmeshxds.tracing.config.ControlPlaneConfig.Provider;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.model.ObjectValidator;
import io.appmeshxds.translator.input.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-object tracing overrides, as annotations on a VirtualNode or VirtualGateway:
 * {@value #PROVIDER} (a provider name, {@code none} turns tracing off for that proxy) and
 * {@value #SAMPLING} (a percentage, 0–100, an optional {@code %} allowed).
 *
 * <p>An invalid value never breaks translation: the proxy gets the mesh-wide default for that
 * setting, and this class, registered as an {@link ObjectValidator}, reports the value as a warning
 * in the object's status (the object stays accepted).
 */
public final class TracingOverrides implements ObjectValidator {
  /** Provider override annotation. */
  public static final String PROVIDER = "appmesh-xds.io/tracing";
  /** Sampling override annotation. */
  public static final String SAMPLING = "appmesh-xds.io/tracing-sampling";

  /**
   * What a proxy uses after its annotations.
   *
   * @param provider the provider
   * @param samplingPercent the sampling percentage
   * @param ignored annotations that were ignored, as {@code key=value: why}, sorted by key
   */
  public record Effective(Provider provider, double samplingPercent, List<String> ignored) {
    public Effective {
      ignored = List.copyOf(ignored);
    }
  }

  /** The effective settings of an object with {@code annotations}, given the mesh-wide defaults. */
  public static Effective resolve(Map<String, String> annotations, Provider meshProvider, double meshSampling) {
    Provider provider = meshProvider;
    double sampling = meshSampling;
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        ignored.add(e.getKey() + "=" + e.getValue() + ": " + problem);
      } else if (e.getKey().equals(PROVIDER)) {
        provider = provider(e.getValue());
      } else if (e.getKey().equals(SAMPLING)) {
        sampling = percent(e.getValue());
      }
    }
    return new Effective(provider, sampling, ignored);
  }

  /** What is wrong with one annotation of ours, or null (also null for annotations not ours). */
  private static String problem(String key, String value) {
    if (key.equals(PROVIDER)) {
      return provider(value) == null ? "not a tracing provider (xray, opentelemetry, zipkin or none)" : null;
    }
    if (key.equals(SAMPLING)) {
      return percent(value) == null ? "not a percentage between 0 and 100" : null;
    }
    if (key.startsWith(PROVIDER)) {
      return "unknown tracing annotation (known: " + PROVIDER + ", " + SAMPLING + ")";
    }
    return null;
  }

  /** Annotations of the objects that have proxies (VirtualNode, VirtualGateway); empty for others. */
  static Map<String, String> annotationsOf(MeshObject o) {
    return o instanceof VirtualNode || o instanceof VirtualGateway ? o.metadata().annotations() : Map.of();
  }

  @Override
  public List<Problem> validate(MeshObject object) {
    List<Problem> out = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(annotationsOf(object)).entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        out.add(Problem.warning(ObjectRef.of(object), "metadata.annotations[" + e.getKey() + "]",
            problem + " (got \"" + e.getValue() + "\"); ignored"
                + (e.getKey().equals(PROVIDER) || e.getKey().equals(SAMPLING) ? ", the mesh-wide setting applies" : "")));
      }
    }
    return out;
  }

  private static Provider provider(String v) {
    try {
      return Provider.valueOf(v.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Double percent(String v) {
    String s = v.strip();
    if (s.endsWith("%")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (!s.matches("\\d{1,3}(\\.\\d+)?|\\.\\d+")) {
      return null;
    }
    double d = Double.parseDouble(s);
    return d >= 0 && d <= 100 ? d : null;
  }
}
