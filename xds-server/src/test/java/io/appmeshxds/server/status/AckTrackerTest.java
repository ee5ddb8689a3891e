package io.appmeshxds.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.plan.NodeKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ACK book keeps the latest ACK of each group and type, however many versions were acknowledged
 * (it kept every one, up to 100,000 entries of about 200 bytes); listeners still see every ACK.
 */
class AckTrackerTest {
  private static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  @Test
  void keepsTheLatestAckOfEachGroupAndType() {
    AckTracker book = new AckTracker();
    List<String> heard = new ArrayList<>();
    book.addListener((key, type, version, at) -> heard.add(key.name() + " " + version));
    NodeKey a = NodeKey.sidecar("m", "a_ns");
    NodeKey b = NodeKey.sidecar("m", "b_ns");
    for (int v = 0; v < 1000; v++) {
      book.accepted(1, a, RDS, "r" + v);
      book.accepted(2, b, RDS, "r" + v);
    }
    book.accepted(1, a, CDS, "c0");

    assertThat(book.entries()).isEqualTo(3);
    assertThat(heard).hasSize(2001).contains("a_ns r0", "b_ns r999");
    assertThat(book.ackedAt(a, RDS, "r999")).isNotNull();
    assertThat(book.ackedAt(NodeKey.sidecar("m", "a_ns"), RDS, "r999")).as("by equal key").isNotNull();
    assertThat(book.ackedAt(a, RDS, "r998")).as("superseded").isNull();
    assertThat(book.ackedAt(a, CDS, "c0")).isNotNull();
    assertThat(book.ackedAt(b, CDS, "c0")).isNull();
  }
}
