package io.appmeshxds.tracing.logs.xds;

import io.appmeshxds.translator.golden.GoldenRunner;
import io.appmeshxds.translator.plan.Planner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases of access-log export ({@code logging.cloudWatch.enabled}): sidecars (HTTP and TCP,
 * ingress and egress, with and without App Mesh's file log), a gateway-like HCM, and a proxyless
 * client that must stay untouched. The runner also checks Envoy's proto rules and
 * {@code Snapshot.ensureConsistent()} for every node.
 */
class AccessLogExportGoldenTest {
  @TestFactory
  Stream<DynamicTest> cases() throws IOException {
    return new GoldenRunner(Path.of("src/test/resources/golden/access-log-export"),
        () -> new Planner(List.of(new GatewayLikePlanner()),
            List.of(new AccessLogExportDecorator("appmesh-xds.appmesh-system", 18001))),
        List.of(new AccessLogExportFactory())).tests();
  }
}
