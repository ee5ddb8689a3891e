package io.appmeshxds.tracing.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and checks the config file. Unknown keys are errors naming the key's path (a typo must not
 * silently turn tracing off); values are range-checked.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .build();

  /** A config that failed to load: every problem as {@code path: message}. */
  public static final class ConfigException extends Exception {
    private final List<String> problems;

    ConfigException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  public static ControlPlaneConfig load(Path file) throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file));
  }

  public static ControlPlaneConfig parse(String name, String text) throws ConfigException {
    ControlPlaneConfig c;
    try {
      c = text.isBlank() ? ControlPlaneConfig.defaults() : YAML.readValue(text, ControlPlaneConfig.class);
      if (c == null) {
        c = ControlPlaneConfig.defaults();
      }
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(List.of(name + ": " + path(e) + ": unknown key (known: " + e.getKnownPropertyIds() + ")"));
    } catch (JacksonException e) {
      String m = e.getOriginalMessage();
      throw new ConfigException(List.of(name + ": " + path(e) + ": " + (m == null ? e.toString() : m.split("\n")[0])));
    }
    List<String> problems = new ArrayList<>();
    double p = c.tracing().samplingPercent();
    if (p < 0 || p > 100) {
      problems.add(name + ": tracing.samplingPercent: must be between 0 and 100 (got " + p + ")");
    }
    String daemon = c.tracing().xray().daemonAddress();
    if (!daemon.matches("^(\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+\\]):\\d{1,5}$")) {
      problems.add(name + ": tracing.xray.daemonAddress: must be an IP literal and port (Envoy's X-Ray tracer does not "
          + "resolve names), got " + daemon);
    }
    for (String[] hp : new String[][] {{"tracing.opentelemetry.collector", c.tracing().opentelemetry().collector()},
        {"tracing.zipkin.collector", c.tracing().zipkin().collector()},
        {"logging.cloudWatch.exporter", c.logging().cloudWatch().exporter()}}) {
      if (!hp[1].matches("^[^:\\s]+:\\d{1,5}$") && !hp[1].matches("^\\[[0-9a-fA-F:]+\\]:\\d{1,5}$")) {
        problems.add(name + ": " + hp[0] + ": must be host:port, got " + hp[1]);
      }
    }
    if (c.logging().cloudWatch().retentionDays() < 0) {
      problems.add(name + ": logging.cloudWatch.retentionDays: must be at least 0");
    }
    ControlPlaneConfig.ExporterTls et = c.logging().cloudWatch().exporterTls();
    if (et != null) {
      if (et.caFile().isBlank() || et.sni().isBlank()) {
        problems.add(name + ": logging.cloudWatch.exporterTls: caFile and sni are required (proxies must verify the"
            + " exporter)");
      }
      if (et.certFile().isBlank() != et.keyFile().isBlank()) {
        problems.add(name + ": logging.cloudWatch.exporterTls: certFile and keyFile go together");
      }
    }
    if (c.logging().cloudWatch().diskBudgetMb() < 1) {
      problems.add(name + ": logging.cloudWatch.diskBudgetMb: must be at least 1");
    }
    problems.addAll(tracingAndTelemetry(name, c));
    List<String> meshes = c.endpoints().perPod().meshes();
    for (int i = 0; i < meshes.size(); i++) {
      String m = meshes.get(i);
      if (m == null || m.isBlank() || m.length() > 255) {
        problems.add(name + ": endpoints.perPod.meshes[" + i + "]: must be a mesh's App Mesh name (1-255 characters) or \"*\"");
      }
    }
    problems.addAll(aws(name, c.aws()));
    problems.addAll(InjectionChecks.check(name, c.injection()));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c;
  }

  /** Port ranges of the tracing addresses, and the telemetry endpoint's form. */
  private static List<String> tracingAndTelemetry(String name, ControlPlaneConfig c) {
    List<String> problems = new ArrayList<>();
    if (Double.isNaN(c.tracing().samplingPercent())) {
      problems.add(name + ": tracing.samplingPercent: must be between 0 and 100 (got NaN)");
    }
    for (String[] hp : new String[][] {{"tracing.xray.daemonAddress", c.tracing().xray().daemonAddress()},
        {"tracing.opentelemetry.collector", c.tracing().opentelemetry().collector()},
        {"tracing.zipkin.collector", c.tracing().zipkin().collector()}}) {
      String port = hp[1].substring(hp[1].lastIndexOf(':') + 1);
      if (port.matches("\\d{1,5}") && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
        problems.add(name + ": " + hp[0] + ": port must be between 1 and 65535, got " + hp[1]);
      }
    }
    String otlp = c.telemetry().otlpEndpoint();
    if (!otlp.isEmpty() && !otlp.matches("^(https?://)?([^:/\\s]+|\\[[0-9a-fA-F:]+\\]):\\d{1,5}/?$")) {
      problems.add(name + ": telemetry.otlpEndpoint: must be empty (off) or an OTLP/gRPC endpoint "
          + "http(s)://host:port or host:port, got " + otlp);
    }
    return problems;
  }

  private static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** A region is a region's name; an endpoint override is an absolute http(s) URL. */
  private static List<String> aws(String name, ControlPlaneConfig.Aws aws) {
    List<String> problems = new ArrayList<>();
    if (!aws.region().isEmpty() && !aws.region().matches("^[a-z]{2}(-[a-z]+)+-\\d+$")) {
      problems.add(name + ": aws.region: must be a region name such as us-west-2, got " + aws.region());
    }
    ControlPlaneConfig.AwsEndpoints e = aws.endpoints();
    for (String[] kv : new String[][] {{"servicediscovery", e.servicediscovery()}, {"acm", e.acm()}, {"acmpca", e.acmpca()}}) {
      if (!kv[1].isEmpty() && !kv[1].matches("^https?://[^\\s/]+(/\\S*)?$")) {
        problems.add(name + ": aws.endpoints." + kv[0] + ": must be an http(s) URL, got " + kv[1]);
      }
    }
    if (aws.acm().refreshSeconds() < 10 || aws.acm().refreshSeconds() > 86_400) {
      problems.add(name + ": aws.acm.refreshSeconds: must be between 10 and 86400 (got " + aws.acm().refreshSeconds() + ")");
    }
    if (aws.acm().retrySeconds() < 1 || aws.acm().retrySeconds() > aws.acm().refreshSeconds()) {
      problems.add(name + ": aws.acm.retrySeconds: must be between 1 and aws.acm.refreshSeconds (got "
          + aws.acm().retrySeconds() + ")");
    }
    problems.addAll(aws.cloudMap().problems(name));
    return problems;
  }
}
