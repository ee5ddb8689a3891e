package io.appmeshxds.bench.load;

import io.appmeshxds.bench.MeshGenerator;
import java.nio.file.Path;
import java.util.List;

/**
 * What one load run does.
 *
 * @param profile the mesh (generated with the hot service, see {@link MeshGenerator.Options#HOT})
 * @param clients simulated clients for T8, T4, T9, T11 and T2
 * @param t7Streams streams held for T7 (at least {@code clients}; more are connected after the changes)
 * @param hotChanges weight changes of the service every node lists (T4 worst case, T9)
 * @param warmupChanges hot changes made first and reported apart (the server's JIT compiles the
 *     change path during them; a control plane runs warm for days)
 * @param typicalChanges weight changes of ordinary services (T9: unaffected clients get nothing)
 * @param changeBudgetMillis stop the hot changes early once this much time went by (at least 3 run)
 * @param ackDelayMillis how long each client waits before it ACKs a response
 * @param idleMillis length of the idle windows (T7 CPU)
 * @param sequentialConnects clients connected one at a time on the warm server (T14)
 * @param serverJvm JVM options of the server process
 * @param clientJvm JVM options of the client process
 * @param logDir where the processes' logs go
 * @param timeoutMillis bound of any single wait (a storm, one change's convergence)
 * @param churnSeconds length of T16's churn window (0: no churn)
 * @param churnSliceRate EndpointSlice changes per second during churn
 * @param churnWeightRate hot weight changes per second during churn
 */
public record LoadSettings(MeshGenerator.Profile profile, int clients, int t7Streams, int hotChanges, int warmupChanges, int typicalChanges,
    long changeBudgetMillis, long ackDelayMillis, long idleMillis, int sequentialConnects, List<String> serverJvm,
    List<String> clientJvm, Path logDir, long timeoutMillis, double churnSeconds, double churnSliceRate, double churnWeightRate) {

  public LoadSettings {
    serverJvm = List.copyOf(serverJvm);
    clientJvm = List.copyOf(clientJvm);
    int max = ClientPlan.max(profile);
    if (clients > max || t7Streams > max || clients + sequentialConnects > max) {
      throw new IllegalArgumentException(profile.name() + " has " + max + " nodes: too few for " + clients + " clients, "
          + t7Streams + " streams and " + sequentialConnects + " sequential connects");
    }
  }
}
