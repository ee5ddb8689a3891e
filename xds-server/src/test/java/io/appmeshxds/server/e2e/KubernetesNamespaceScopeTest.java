package io.appmeshxds.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.ControlPlane;
import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.testing.Backend;
import io.appmeshxds.server.testing.MeshFiles;
import io.appmeshxds.server.testing.MockApi;
import io.appmeshxds.server.testing.XdsChannel;
import io.appmeshxds.translator.input.ObjectRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --namespace demo}: objects of other namespaces are not read; Meshes (cluster-scoped) are. */
class KubernetesNamespaceScopeTest {
  @TempDir Path dir;

  @Test
  void watchesOneNamespaceAndTheMeshes() throws Exception {
    try (Backend primary = new Backend("primary"); Backend canary = new Backend("canary"); MockApi api = new MockApi();
        KubernetesClient client = api.newClient()) {
      new MeshFiles(dir, RunningMesh.backends(primary, canary));
      api.applyDir(dir);
      api.apply("""
          apiVersion: v1
          kind: Namespace
          metadata:
            name: other
            labels:
              appmesh.k8s.aws/sidecarInjectorWebhook: enabled
          ---
          apiVersion: appmesh.k8s.aws/v1beta2
          kind: VirtualNode
          metadata:
            name: elsewhere
            namespace: other
          spec:
            backends:
              - virtualService:
                  virtualServiceRef:
                    name: podinfo
                    namespace: demo
          """);
      try (KubernetesMode mode = KubernetesMode.start(client, Pipelines.standard(), ControlPlane.Settings.loopback(),
          new KubernetesMode.Settings("demo", "appmesh-system", "replica-0", KubernetesReplicasTest.FAST))) {
        RunningMesh.await(() -> mode.controlPlane().reconciler().ready(), 30_000);
        assertThat(mode.controlPlane().store().refs())
            .contains(new ObjectRef("Mesh", null, "appmesh"), new ObjectRef("Namespace", null, "demo"),
                new ObjectRef("VirtualNode", "demo", "flagger-loadtester"))
            .doesNotContain(new ObjectRef("Namespace", null, "other"), new ObjectRef("VirtualNode", "other", "elsewhere"));
        try (XdsChannel apex = new XdsChannel(mode.controlPlane().xdsPort(), MeshFiles.LOADTESTER, "podinfo.demo:9898")) {
          assertThat(apex.call()).isEqualTo("primary");
        }
      }
    }
  }
}
