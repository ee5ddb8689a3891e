package io.appmeshxds.translator.golden;

import io.appmeshxds.translator.plan.Planner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Golden cases of sidecar and proxyless translation. */
class SidecarGoldenTest {
  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    return GoldenRunner.withOptions(Path.of("src/test/resources/golden/sidecar"),
        o -> new Planner(o, List.of(), List.of()), List.of()).tests();
  }
}
