package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.PortMapping;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which VirtualNode host names the refresher resolves: external ones, not Services that have slices. */
class DnsRefresherTest {

  private static VirtualNode node(String name, String hostname) {
    return new VirtualNode(ObjectMeta.of("demo", name), new VirtualNode.Spec(null, null,
        List.of(new VirtualNode.Listener(PortMapping.of(8080, PortProtocol.http), null, null, null, null, null)),
        new VirtualNode.ServiceDiscovery(null, new VirtualNode.Dns(hostname, null)), List.of(), List.of(), null, null, null));
  }

  @Test
  void resolvesExternalNamesAndLeavesKubernetesServicesToTheirSlices() {
    ResourceStore store = new ResourceStore();
    store.register("test");
    store.markSynced("test");
    VirtualNode external = node("external", "localhost");
    VirtualNode literal = node("literal", "10.0.0.7");
    VirtualNode service = node("podinfo", "podinfo.demo.svc.cluster.local");
    EndpointSlice slice = new EndpointSlice("demo", "podinfo-abc", "podinfo", "IPv4", List.of(), List.of());
    store.put("test", ObjectRef.of(external), external);
    store.put("test", ObjectRef.of(literal), literal);
    store.put("test", ObjectRef.of(service), service);
    store.put("test", new ObjectRef("EndpointSlice", "demo", slice.name()), slice);

    try (DnsRefresher r = new DnsRefresher(store)) {
      r.refresh();
    }

    assertThat(store.snapshot().dnsAnswers()).containsOnlyKeys("localhost");
    assertThat(store.snapshot().dnsAnswers().get("localhost")).isNotEmpty();
  }
}
