package io.appmeshxds.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.xds.XdsResources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The churn book's rule: a client has a change when it ACKs, after the change was due, a version
 * first published to it by a build whose input holds the change (or a later one of the same
 * object); an ACK of a version from an earlier build does not count.
 */
class ChurnBookTest {
  private static final ObjectRef REF = ObjectRef.of(MeshGenerator.hotRouter(0));

  /** A build input holding {@code router} at the hot router's ref (the rest of the mesh is irrelevant here). */
  private static MeshResources input(Object router) {
    return MeshGenerator.with(MeshResources.empty(), REF, router);
  }

  /** Resources for client 0 with one route configuration whose hash is {@code h}: each h gives its own route version. */
  private static XdsResources routes(String h) {
    return new XdsResources(ClientPlan.key(0), Map.of(XdsResources.Type.ROUTE,
        List.of(new XdsResources.Resource("rds", RouteConfiguration.getDefaultInstance(), h))));
  }

  private static String v(String h) {
    return routes(h).version(XdsResources.Type.ROUTE);
  }

  private static String[][] initial(int clients) {
    XdsResources r = routes("r0");
    String[][] v = new String[clients][4];
    for (String[] row : v) {
      for (int t = 0; t < 4; t++) {
        row[t] = r.version(LoadServer.TYPES[t]);
      }
    }
    return v;
  }

  @Test
  void aChangeCountsFromTheFirstCoveringBuildOnly() {
    ChurnBook book = new ChurnBook(2, initial(2));
    BitSet both = new BitSet();
    both.set(0, 2);
    Object w1 = MeshGenerator.hotRouter(10);
    Object w2 = MeshGenerator.hotRouter(20);
    // Build 1 runs on an input without change 0: what it publishes does not carry it.
    book.published(0, routes("r1"), input(MeshGenerator.hotRouter(5)));
    book.changed(new ChurnBook.Change(0, 1_000, REF, w1, SimClient.RDS, both));
    book.acked(0, SimClient.RDS, v("r1"), 2_000);
    // Build 2 holds change 0.
    book.published(0, routes("r2"), input(w1));
    book.acked(0, SimClient.RDS, v("r2"), 5_000);
    ChurnBook.Result r = book.analyze(0, 10_000);
    assertThat(r.changes()).isEqualTo(1);
    // Client 1 never had it: the change is incomplete, client 1 starved, client 0 not.
    assertThat(r.incomplete()).isEqualTo(1);
    assertThat(r.undelivered()).isEqualTo(1);
    assertThat(r.affectedClients()).isEqualTo(2);
    assertThat(r.starved()).isEqualTo(1);

    // Change 1 supersedes change 0 before client 1 hears of either: a build holding change 1 covers both.
    book.changed(new ChurnBook.Change(1, 6_000, REF, w2, SimClient.RDS, both));
    MeshResources in3 = input(w2);
    book.published(0, routes("r3"), in3);
    book.published(1, routes("r3"), in3);
    book.acked(0, SimClient.RDS, v("r3"), 7_000);
    book.acked(1, SimClient.RDS, v("r3"), 8_000);
    r = book.analyze(0, 10_000);
    assertThat(r.incomplete()).isZero();
    assertThat(r.starved()).isZero();
    // Change 0: client 0 at 5,000, client 1 at 8,000 (7 µs after it was due); change 1: 2 µs.
    assertThat(r.all().count()).isEqualTo(2);
    assertThat(r.all().max()).isEqualTo(0.007);
    assertThat(r.all().min()).isEqualTo(0.002);
    assertThat(r.routes().count()).isEqualTo(2);
    assertThat(r.endpoints().count()).isZero();
  }

  @Test
  void anAckBeforeTheChangeWasDueDoesNotCount() {
    ChurnBook book = new ChurnBook(1, initial(1));
    BitSet one = new BitSet();
    one.set(0);
    Object w1 = MeshGenerator.hotRouter(10);
    book.changed(new ChurnBook.Change(0, 5_000, REF, w1, SimClient.RDS, one));
    book.published(0, routes("r1"), input(w1));
    book.acked(0, SimClient.RDS, v("r1"), 4_000);
    assertThat(book.analyze(0, 10_000).incomplete()).isEqualTo(1);
    book.acked(0, SimClient.RDS, v("r1"), 6_000);
    assertThat(book.analyze(0, 10_000).incomplete()).isZero();
  }

  @Test
  void timetableSpreadsBothKindsOverTheWindow() {
    List<?> t = Churn.timetable(2, 50, 1);
    assertThat(t).hasSize(102);
    assertThat(Churn.timetable(1, 0, 2)).hasSize(2);
  }
}
