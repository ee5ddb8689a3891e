package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.api.ObjectMeta;
import io.appmeshxds.translator.api.PortMapping;
import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.ObjectRef;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which VirtualNode host names the refresher resolves, and under which name: external ones, bare
 * names relative to their node's namespace, not Services that have slices nor IP literals.
 */
class DnsRefresherTest {

  private static VirtualNode node(String namespace, String name, String hostname) {
    return new VirtualNode(ObjectMeta.of(namespace, name), new VirtualNode.Spec(null, null,
        List.of(new VirtualNode.Listener(PortMapping.of(8080, PortProtocol.http), null, null, null, null, null)),
        new VirtualNode.ServiceDiscovery(null, new VirtualNode.Dns(hostname, null)), List.of(), List.of(), null, null, null));
  }

  private static ResourceStore store(Object... objects) {
    ResourceStore store = new ResourceStore();
    store.register("test");
    store.markSynced("test");
    for (Object o : objects) {
      if (o instanceof VirtualNode vn) {
        store.put("test", ObjectRef.of(vn), vn);
      } else if (o instanceof EndpointSlice s) {
        store.put("test", new ObjectRef("EndpointSlice", s.namespace(), s.name()), s);
      }
    }
    return store;
  }

  @Test
  void resolvesExternalAndBareNamesAndLeavesKubernetesServicesToTheirSlices() {
    ResourceStore store = store(
        node("demo", "external", "api.partner.example.com."),
        node("demo", "literal", "10.0.0.7"),
        node("demo", "podinfo", "podinfo.demo.svc.cluster.local"),
        new EndpointSlice("demo", "podinfo-abc", "podinfo", "IPv4", List.of(), List.of()),
        // Bare names: the node's namespace, as its pods' resolver reads them; with slices there, no lookup.
        node("yelb", "yelb-db", "yelb-db"),
        node("shop", "cart", "cart"),
        new EndpointSlice("shop", "cart-xyz", "cart", "IPv4", List.of(), List.of()));
    List<String> asked = new ArrayList<>();
    Map<String, List<String>> answers = Map.of("api.partner.example.com", List.of("203.0.113.10"),
        "yelb-db.yelb", List.of("10.100.0.9"));
    try (DnsRefresher r = new DnsRefresher(store, h -> {
      asked.add(h);
      if (!answers.containsKey(h)) {
        throw new UnknownHostException(h);
      }
      return answers.get(h);
    })) {
      r.refresh();
    }

    assertThat(asked).containsExactlyInAnyOrder("api.partner.example.com", "yelb-db.yelb");
    assertThat(store.snapshot().dnsAnswers()).isEqualTo(answers);
  }

  @Test
  void anUnknownNameKeepsItsLastAnswer() {
    ResourceStore store = store(node("demo", "external", "api.partner.example.com"));
    try (DnsRefresher r = new DnsRefresher(store, h -> List.of("203.0.113.10"))) {
      r.refresh();
    }
    try (DnsRefresher r = new DnsRefresher(store, h -> {
      throw new UnknownHostException(h);
    })) {
      r.refresh();
    }
    assertThat(store.snapshot().dnsAnswers()).isEqualTo(Map.of("api.partner.example.com", List.of("203.0.113.10")));
  }
}
