package io.appmeshxds.tracing.golden;

import io.appmeshxds.tracing.config.ConfigLoader;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.plan.TracingDecorator;
import io.appmeshxds.tracing.plan.TracingOverrides;
import io.appmeshxds.tracing.xds.TracingFactory;
import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases of proxy tracing: one directory per configuration ({@code config.yaml}, the
 * {@code --config} file), each with {@code *.in.yaml} cases run through the sidecar planner plus
 * {@link TracingDecorator}, {@link TracingFactory} and the {@link TracingOverrides} checks. Every
 * case asserts consistency, determinism and Envoy's proto rules ({@link GoldenRunner}).
 */
class TracingGoldenTest {
  static final Path ROOT = Path.of("src/test/resources/golden/tracing");

  @TestFactory
  Stream<DynamicContainer> cases() throws Exception {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(ROOT)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    List<DynamicContainer> out = new ArrayList<>();
    for (Path dir : dirs) {
      ControlPlaneConfig config = ConfigLoader.load(dir.resolve("config.yaml"));
      GoldenRunner runner = new GoldenRunner(dir,
          () -> new Planner(List.of(), List.of(new TracingDecorator(config.tracing()))),
          List.of(new TracingFactory()), List.of(new TracingOverrides()));
      out.add(DynamicContainer.dynamicContainer(dir.getFileName().toString(), runner.tests()));
    }
    return out.stream();
  }
}
