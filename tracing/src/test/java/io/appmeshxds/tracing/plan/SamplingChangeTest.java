package io.appmeshxds.tracing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.XdsResources;
import io.appmeshxds.translator.xds.XdsResources.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * A sampling change is a listener change only, for exactly the proxies it concerns: versions per
 * type and node across two builds (what the server compares before it pushes anything).
 */
class SamplingChangeTest {
  static final Path OVERRIDES = Path.of("src/test/resources/golden/tracing/overrides/sidecars.in.yaml");
  static final NodeKey WEB = NodeKey.sidecar("shop", "web_store");
  static final NodeKey BATCH = NodeKey.sidecar("shop", "batch_store");
  static final NodeKey LEGACY = NodeKey.sidecar("shop", "legacy_store");
  static final NodeKey API = NodeKey.sidecar("shop", "api_store");
  static final NodeKey DB = NodeKey.sidecar("shop", "db_store");
  static final NodeKey WEB_PROXYLESS = NodeKey.proxyless("shop", "web_store", Dialect.GRPC);

  static Map<NodeKey, XdsResources> build(String configYaml, String manifests) throws Exception {
    ControlPlaneConfig config = ConfigLoader.parse("config.yaml", configYaml);
    GoldenRunner runner = new GoldenRunner(null, () -> new Planner(List.of(), List.of(new TracingDecorator(config.tracing()))),
        List.of(new TracingFactory()), List.of(new TracingOverrides()));
    return runner.render("case", manifests).resources();
  }

  @Test
  void anAnnotationOverrideChangesOnlyThatNodesListeners() throws Exception {
    String config = "tracing: {provider: opentelemetry, samplingPercent: 5}\n";
    String text = Files.readString(OVERRIDES);
    Map<NodeKey, XdsResources> before = build(config, text);
    Map<NodeKey, XdsResources> after = build(config,
        text.replace("appmesh-xds.io/tracing-sampling: \"12.5%\"", "appmesh-xds.io/tracing-sampling: \"40\""));
    assertThat(after.keySet()).isEqualTo(before.keySet()).contains(BATCH, WEB, LEGACY, API, DB, WEB_PROXYLESS);
    assertOnlyChanged(before, after, (k, t) -> k.equals(BATCH) && t == Type.LISTENER);
  }

  @Test
  void theMeshWidePercentChangesTheListenersOfEveryTracedEnvoyProxyAndNothingElse() throws Exception {
    String text = Files.readString(OVERRIDES);
    Map<NodeKey, XdsResources> before = build("tracing: {provider: opentelemetry, samplingPercent: 5}\n", text);
    Map<NodeKey, XdsResources> after = build("tracing: {provider: opentelemetry, samplingPercent: 7.5}\n", text);
    // web and batch set their own percentage, api turned tracing off, db has no HTTP listener: only
    // legacy (whose invalid annotations fall back to the mesh default) follows the mesh-wide percent.
    assertOnlyChanged(before, after, (k, t) -> k.equals(LEGACY) && t == Type.LISTENER);
    // Without annotations every Envoy proxy with an HTTP connection manager follows it; the proxyless
    // client never does.
    String plain = text.replaceAll("(?m)^  annotations:\\n(    appmesh-xds\\.io/.*\\n)+", "");
    assertThat(plain).doesNotContainPattern("(?m)^ +appmesh-xds\\.io/");
    assertOnlyChanged(build("tracing: {provider: opentelemetry, samplingPercent: 5}\n", plain),
        build("tracing: {provider: opentelemetry, samplingPercent: 7.5}\n", plain),
        (k, t) -> t == Type.LISTENER && !k.equals(DB) && k.dialect() == Dialect.ENVOY);
  }

  /** Every node's version of every type changed exactly where {@code expected} says. */
  static void assertOnlyChanged(Map<NodeKey, XdsResources> before, Map<NodeKey, XdsResources> after,
      BiPredicate<NodeKey, Type> expected) {
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (NodeKey k : before.keySet()) {
      for (Type t : Type.values()) {
        boolean changed = !after.get(k).version(t).equals(before.get(k).version(t));
        assertThat(changed).as("%s %s changed", k, t).isEqualTo(expected.test(k, t));
      }
    }
  }
}
