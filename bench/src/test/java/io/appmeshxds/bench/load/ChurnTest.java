package io.appmeshxds.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.bench.MeshGenerator;
import org.junit.jupiter.api.Test;

/**
 * T16's churn against both servers on a 20-service mesh with 3 clients: every change on the
 * timetable is handed over, reaches every client it affects (each change reaches at least one), and
 * no client is starved. Nothing asserts a duration.
 */
class ChurnTest {
  static final MeshGenerator.Profile TINY = LoadHarnessTest.TINY;
  static final int CLIENTS = LoadHarnessTest.CLIENTS;

  @Test
  void everyChangeReachesEveryAffectedClientOfOurs() throws Exception {
    try (BenchServer server = new BenchServer()) {
      churn(server);
    }
  }

  @Test
  void everyChangeReachesEveryAffectedClientOfTheBaseline() throws Exception {
    try (BaselineServer server = new BaselineServer()) {
      churn(server);
    }
  }

  private static void churn(LoadServer server) throws Exception {
    Msg load = server.load(TINY, 42, true, 60_000);
    try (ClientFleet fleet = new ClientFleet((int) load.num("xdsPort"), 0)) {
      server.handle(new Msg("mark"));
      fleet.connect(0, CLIENTS);
      assertThat(server.awaitFull(0, CLIENTS, 60_000).str("allAcked")).isEqualTo("true");
      Msg m = server.churn(new Churn.Settings(CLIENTS, 2, 10, 1, 60_000, 7));
      // 20 slice changes (every 100 ms) and 2 weight changes (at 0.5 and 1.5 s).
      assertThat(m.num("changes")).isEqualTo(22);
      assertThat(m.num("routesN")).isEqualTo(2);
      assertThat(m.num("endpointsN")).isEqualTo(20);
      assertThat(m.str("settled")).isEqualTo("true");
      assertThat(m.num("incomplete")).isZero();
      assertThat(m.num("undelivered")).isZero();
      // A weight change of the hot service affects all three clients, a slice change at least one.
      assertThat(m.num("pairs")).isGreaterThanOrEqualTo(2L * CLIENTS + 20);
      assertThat(m.num("affectedClients")).isEqualTo(CLIENTS);
      assertThat(m.num("starved")).isZero();
      for (SimClient c : fleet.clients()) {
        assertThat(c.failure()).isNull();
      }
    }
  }
}
