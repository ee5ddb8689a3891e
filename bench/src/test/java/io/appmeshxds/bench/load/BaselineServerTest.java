package io.appmeshxds.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The java-control-plane baseline against the same simulated clients as ours: each client gets
 * exactly the resources our control plane serves it (same names, same versions), a weight change
 * reaches exactly the clients whose nodes list the service as one RouteConfiguration each, and an
 * equal object sends nothing. Waits are bounded; nothing asserts a duration.
 */
class BaselineServerTest {
  static final MeshGenerator.Profile TINY = LoadHarnessTest.TINY;
  static final int CLIENTS = LoadHarnessTest.CLIENTS;

  @Test
  void servesWhatOurControlPlaneServesAndChangesReachExactlyTheAffectedClients() throws Exception {
    Map<String, String> ours = new TreeMap<>();
    try (BenchServer server = new BenchServer()) {
      Msg load = server.load(TINY, 42, true, 60_000);
      try (ClientFleet fleet = new ClientFleet((int) load.num("xdsPort"), 0)) {
        server.handle(new Msg("mark"));
        fleet.connect(0, CLIENTS);
        assertThat(server.awaitFull(0, CLIENTS, 60_000).str("allAcked")).isEqualTo("true");
        for (SimClient c : fleet.clients()) {
          for (int t = 0; t < 4; t++) {
            int type = t;
            c.held(t).keySet().forEach(name -> ours.put(type + " " + name, "held"));
          }
        }
        for (int j = 0; j < CLIENTS; j++) {
          XdsResources r = server.current(ClientPlan.key(j));
          for (int t = 0; t < 4; t++) {
            ours.put(j + "/" + t, r.version(LoadServer.TYPES[t]));
          }
        }
      }
    }
    assertThat(ours).isNotEmpty();

    try (BaselineServer server = new BaselineServer()) {
      Msg load = server.load(TINY, 42, true, 60_000);
      try (ClientFleet fleet = new ClientFleet((int) load.num("xdsPort"), 0)) {
        server.handle(new Msg("mark"));
        fleet.connect(0, CLIENTS);
        Msg full = server.awaitFull(0, CLIENTS, 60_000);
        assertThat(full.str("allAcked")).isEqualTo("true");
        assertThat(full.num("complete")).isEqualTo(CLIENTS);
        Map<String, String> base = new TreeMap<>();
        for (SimClient c : fleet.clients()) {
          assertThat(c.failure()).isNull();
          assertThat(c.complete()).isTrue();
          assertThat(c.held(SimClient.EDS).keySet()).anyMatch(n -> n.contains("svc-hot"));
          for (int t = 0; t < 4; t++) {
            int type = t;
            c.held(t).keySet().forEach(name -> base.put(type + " " + name, "held"));
          }
        }
        for (int j = 0; j < CLIENTS; j++) {
          XdsResources r = server.current(ClientPlan.key(j));
          for (int t = 0; t < 4; t++) {
            base.put(j + "/" + t, r.version(LoadServer.TYPES[t]));
          }
        }
        // The same resource names held, and the same content versions served per client and type.
        assertThat(base.keySet()).isEqualTo(ours.keySet());
        base.forEach((k, v) -> {
          if (k.contains("/")) {
            assertThat(v).as(k).isEqualTo(ours.get(k));
          }
        });

        fleet.mark();
        Msg hot = server.change("hot", 37, CLIENTS, 60_000);
        assertThat(hot.str("allAcked")).isEqualTo("true");
        assertThat(hot.num("affected")).isEqualTo(CLIENTS);
        assertThat(hot.num("rdsChanged")).isEqualTo(CLIENTS);
        assertThat(hot.num("ldsChanged") + hot.num("cdsChanged") + hot.num("edsChanged")).isZero();
        ClientFleet.Diff d = fleet.diff();
        assertThat(d.rdsMessages()).isEqualTo(CLIENTS);
        assertThat(d.otherMessages()).isZero();
        assertThat(d.maxResourcesPerClient()).isEqualTo(1);
        assertThat(d.receivers()).isEqualTo(ClientFleet.decode(hot.str("affectedSet")));
        assertThat(hot.dbl("pushes")).isEqualTo(CLIENTS);

        fleet.mark();
        Msg equal = server.noop("equal", "hot", 300, 60_000);
        assertThat(equal.str("changed")).isEqualTo("false");
        assertThat(equal.dbl("pushes")).isZero();
        assertThat(fleet.diff().messages()).isZero();

        fleet.mark();
        Msg meta = server.noop("meta", "hot", 300, 60_000);
        assertThat(meta.num("builds")).isPositive();
        assertThat(meta.dbl("pushes")).isZero();
        assertThat(fleet.diff().messages()).isZero();
      }
    }
  }
}
