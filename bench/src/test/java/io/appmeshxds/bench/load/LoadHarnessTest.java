package io.appmeshxds.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.MeshResources;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The harness against a real control plane in this JVM: a 20-service mesh, 3 simulated delta
 * clients. They receive and ACK their config; a weight change reaches exactly the clients whose
 * nodes list the service, as one RouteConfiguration each; no-op changes reach nobody. Waits are
 * bounded; nothing asserts a duration.
 */
class LoadHarnessTest {
  static final MeshGenerator.Profile TINY = new MeshGenerator.Profile("T20", 20, 3, 0, 0);
  static final int CLIENTS = 3;

  @Test
  void clientsAreServedAndChangesReachExactlyTheAffectedClients() throws Exception {
    try (BenchServer server = new BenchServer()) {
      Msg load = server.load(TINY, 42, true, 60_000);
      try (ClientFleet fleet = new ClientFleet((int) load.num("xdsPort"), 0)) {
        server.handle(new Msg("mark"));
        fleet.connect(0, CLIENTS);
        Msg full = server.awaitFull(0, CLIENTS, 60_000);
        assertThat(full.str("allAcked")).isEqualTo("true");
        assertThat(full.num("complete")).isEqualTo(CLIENTS);
        for (SimClient c : fleet.clients()) {
          assertThat(c.failure()).isNull();
          assertThat(c.complete()).isTrue();
          // Its own listeners, its route configs, and the clusters and endpoints of its backends (hot included).
          assertThat(c.held(SimClient.LDS)).isNotEmpty();
          assertThat(c.held(SimClient.RDS)).isNotEmpty();
          assertThat(c.held(SimClient.CDS).keySet()).anyMatch(n -> n.contains("svc-hot"));
          assertThat(c.held(SimClient.EDS).keySet()).anyMatch(n -> n.contains("svc-hot"));
        }

        // The hot service: every client lists it.
        fleet.mark();
        Msg hot = server.change("hot", 37, CLIENTS, 60_000);
        assertThat(hot.str("allAcked")).isEqualTo("true");
        assertThat(hot.num("affected")).isEqualTo(CLIENTS);
        assertThat(hot.num("rdsChanged")).isEqualTo(CLIENTS);
        assertThat(hot.num("ldsChanged") + hot.num("cdsChanged") + hot.num("edsChanged")).isZero();
        // Each client counts a response before it ACKs it, and the server saw every ACK.
        ClientFleet.Diff d = fleet.diff();
        assertThat(d.rdsMessages()).isEqualTo(CLIENTS);
        assertThat(d.otherMessages()).isZero();
        assertThat(d.maxMessagesPerClient()).isEqualTo(1);
        assertThat(d.maxResourcesPerClient()).isEqualTo(1);
        assertThat(d.receivers()).isEqualTo(ClientFleet.decode(hot.str("affectedSet")));

        // An ordinary service that some clients list and some do not.
        MeshResources mesh = MeshGenerator.generate(TINY, 42, MeshGenerator.Options.HOT);
        int service = -1;
        BitSet expected = null;
        for (int i = 2; i < TINY.services() && service < 0; i++) {
          BitSet listing = listing(mesh, i);
          if (listing.cardinality() > 0 && listing.cardinality() < CLIENTS) {
            service = i;
            expected = listing;
          }
        }
        assertThat(service).as("a service listed by some of the clients").isGreaterThanOrEqualTo(0);
        fleet.mark();
        Msg some = server.change(Integer.toString(service), 20, CLIENTS, 60_000);
        assertThat(some.str("allAcked")).isEqualTo("true");
        assertThat(ClientFleet.decode(some.str("affectedSet"))).isEqualTo(expected);
        d = fleet.diff();
        assertThat(d.receivers()).isEqualTo(expected);
        assertThat(d.rdsMessages()).isEqualTo(expected.cardinality());
        assertThat(d.otherMessages()).isZero();

        // An equal object: the store sees no change, nothing is built or sent.
        fleet.mark();
        Msg equal = server.noop("equal", "hot", 300, 60_000);
        assertThat(equal.str("changed")).isEqualTo("false");
        assertThat(equal.num("builds")).isZero();
        assertThat(equal.dbl("pushes")).isZero();
        assertThat(fleet.diff().messages()).isZero();

        // Metadata only: a build runs, its output equals the last, nothing is sent.
        fleet.mark();
        Msg meta = server.noop("meta", "hot", 300, 60_000);
        assertThat(meta.str("changed")).isEqualTo("true");
        assertThat(meta.num("builds")).isPositive();
        assertThat(meta.dbl("pushes")).isZero();
        assertThat(fleet.diff().messages()).isZero();
      }
    }
  }

  /** Which of the first {@link #CLIENTS} clients' nodes list service {@code i} as a backend. */
  private static BitSet listing(MeshResources mesh, int i) {
    BitSet out = new BitSet();
    for (VirtualNode n : mesh.<VirtualNode>ofKind(Kind.VirtualNode)) {
      for (int j = 0; j < CLIENTS; j++) {
        if ((n.name() + "_" + n.namespace()).equals(ClientPlan.awsName(j)) && n.spec().backends().stream()
            .anyMatch(b -> b.virtualService().virtualServiceRef().name().equals(MeshGenerator.service(i)))) {
          out.set(j);
        }
      }
    }
    return out;
  }
}
