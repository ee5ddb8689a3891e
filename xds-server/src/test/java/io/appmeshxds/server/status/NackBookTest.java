package io.appmeshxds.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.plan.NodeKey;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rejections last while their stream rejects the type, and go on an ACK of the type or when the stream closes. */
class NackBookTest {
  static final NodeKey KEY = NodeKey.sidecar("appmesh", "podinfo-primary_demo");
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

  @Test
  void anAttackersNackIsClearedWhenTheNodesProxyAcksTheSameVersion() {
    NackBook book = new NackBook();
    AtomicInteger changes = new AtomicInteger();
    book.onChange(changes::incrementAndGet);
    // Stream 7 (claiming the node) rejects version v1 that the real proxy (stream 3) then accepts.
    book.rejected(7, KEY, KEY.nodeId(), RDS, "v1", "attacker text");
    assertThat(book.snapshot().get(KEY).get(RDS).message()).isEqualTo("attacker text");
    book.accepted(3, KEY, RDS, "v1");
    assertThat(book.snapshot()).isEmpty();
    assertThat(book.streams()).isZero();
    assertThat(book.retainedChars()).isZero();
    assertThat(changes.get()).isEqualTo(2);
  }

  @Test
  void aRejectionGoesWithItsStreamAndOnlyThatStreamsRejection() {
    NackBook book = new NackBook();
    book.rejected(1, KEY, KEY.nodeId(), RDS, "v1", "one");
    book.rejected(2, KEY, KEY.nodeId(), RDS, "v1", "two");
    book.rejected(2, KEY, KEY.nodeId(), CDS, "c1", "two-cds");
    assertThat(book.snapshot().get(KEY).get(RDS).message()).isEqualTo("two");
    assertThat(book.retainedChars()).isPositive();
    book.closed(2);
    // Stream 1 still rejects RDS: shown with its own text; stream 2's CDS rejection is gone.
    assertThat(book.snapshot().get(KEY)).containsOnlyKeys(RDS);
    assertThat(book.snapshot().get(KEY).get(RDS).message()).isEqualTo("one");
    book.closed(1);
    assertThat(book.snapshot()).isEmpty();
    assertThat(book.streams()).isZero();
    assertThat(book.retainedChars()).isZero();
  }

  @Test
  void anAckOfAnotherTypeLeavesTheRejectionAndAnAckWithNothingRejectedIsCheap() {
    NackBook book = new NackBook();
    book.accepted(1, KEY, RDS, "v1");
    assertThat(book.snapshot()).isEmpty();
    book.rejected(1, KEY, KEY.nodeId(), RDS, "v2", "bad route");
    book.accepted(1, KEY, CDS, "c9");
    assertThat(book.snapshot().get(KEY)).containsOnlyKeys(RDS);
    book.accepted(1, KEY, RDS, "v3");
    assertThat(book.snapshot()).isEmpty();
  }
}
