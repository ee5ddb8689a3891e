package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.source.ManifestSource;
import io.appmeshxds.server.testing.AdsTestClient;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown: open streams are ended, the loop stops, the ports are released. */
class ShutdownTest {
  @TempDir static Path dir;

  @Test
  void closeEndsStreamsAndReleasesPorts() throws Exception {
    try (Backend b = new Backend("primary")) {
      new MeshFiles(dir, Map.of("podinfo-primary", b, "podinfo-canary", b));
      ControlPlane cp = new ControlPlane(Pipelines.standard(), ControlPlane.Settings.loopback(), List.of(), List.of()).start();
      ManifestSource source = new ManifestSource(List.of(dir), cp.store(), 50).start();
      RunningMesh.await(() -> cp.reconciler().ready(), 20_000);
      int xds = cp.xdsPort();
      int admin = cp.adminPort();
      try (AdsTestClient client = new AdsTestClient(xds, MeshFiles.LOADTESTER, false).start()) {
        RunningMesh.await(client::complete, 20_000);
        long t0 = System.nanoTime();
        source.close();
        cp.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("shutdown took " + ms + " ms");
        RunningMesh.await(() -> client.ended() != null, 10_000);
        assertThat(client.ended()).isIn("UNAVAILABLE", "COMPLETED", "CANCELLED");
        assertThat(ms).isLessThan(10_000);
      }
      for (int port : new int[] {xds, admin}) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress("127.0.0.1", port));
          assertThat(s.isBound()).isTrue();
        }
      }
    }
  }
}
