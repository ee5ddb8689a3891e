package io.appmeshxds.translator.arch;

import static io.appmeshxds.translator.arch.Planted.assertCaught;
import static io.appmeshxds.translator.arch.Planted.importClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.appmeshxds.translator.archplanted.serverside.TranslatorServes;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of mesh-translator's {@link ArchitectureTest} whose forbidden libraries are not on
 * mesh-translator's class path, shown to fail here, where they are: the same rule objects (this
 * class shares their package; mesh-translator's test-jar is on this class path) on the planted
 * {@code translator.archplanted.serverside.TranslatorServes} (xds-server's test sources, which
 * ArchitectureTest would not import: DoNotIncludeTests).
 *
 * <ul>
 *   <li>no_server: gRPC's server, Netty, java-control-plane's server and cache, AWS;
 *   <li>no_kubernetes_client: fabric8's client reported, its constraint annotations not.
 * </ul>
 *
 * <p>The gateway's no_kubernetes_client is the same helper ({@code Purity.noKubernetesClient}) on
 * its packages, which gateway's ArchitectureRulesCatchViolationsTest checks.
 */
class TranslatorRulesCatchServerLibrariesTest {

  private static final JavaClasses SERVES = importClasses(TranslatorServes.class);

  @Test
  void plant_is_not_imported_by_the_architecture_test() {
    Planted.assertNotImportedBy(ArchitectureTest.class, TranslatorServes.class);
  }

  @Test
  void no_server() {
    assertCaught(ArchitectureTest.no_server, SERVES, TranslatorServes.class, "io.grpc.Server",
        "io.netty.buffer.ByteBuf", "io.envoyproxy.controlplane.server.V3DiscoveryServer",
        "io.envoyproxy.controlplane.cache.v3.SimpleCache", "software.amazon.awssdk.services.acm.AcmClient");
  }

  @Test
  void no_kubernetes_client() {
    List<String> violations = assertCaught(ArchitectureTest.no_kubernetes_client, SERVES, TranslatorServes.class,
        "io.fabric8.kubernetes.client.KubernetesClient");
    assertThat(violations).as("fabric8's constraint annotations are allowed")
        .noneMatch(v -> v.contains("io.fabric8.generator.annotation"));
  }
}
