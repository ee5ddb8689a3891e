package io.appmeshxds.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.translator.plan.NodeKey;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The pieces the two processes must agree on: messages, client numbering, bit sets. */
class ProtocolTest {
  @Test
  void messagesRoundTrip() {
    Msg m = new Msg("change").put("target", "hot").put("w", 37).put("ms", 12.3456);
    assertThat(m.toString()).isEqualTo("change target=hot w=37 ms=12.346");
    Msg back = Msg.parse(m.toString());
    assertThat(back.word()).isEqualTo("change");
    assertThat(back.num("w")).isEqualTo(37);
    assertThat(back.dbl("ms")).isEqualTo(12.346);
    assertThat(back.str("missing", "d")).isEqualTo("d");
    assertThatThrownBy(() -> new Msg("x").put("k", "has space")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Msg.parse("ok novalue")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientIndicesMapToDistinctNodesAndBack() {
    for (int j = 0; j < ClientPlan.max(MeshGenerator.Profile.M1K); j += 97) {
      assertThat(ClientPlan.indexOf(ClientPlan.key(j))).isEqualTo(j);
      assertThat(NodeKey.parse(ClientPlan.nodeId(j), null, "envoy", "1.34.0")).isEqualTo(ClientPlan.key(j));
    }
    assertThat(ClientPlan.awsName(0)).isEqualTo(MeshGenerator.nodeAwsName(0, "primary"));
    assertThat(ClientPlan.awsName(1)).isEqualTo(MeshGenerator.nodeAwsName(0, "canary"));
    assertThat(ClientPlan.indexOf(NodeKey.sidecar(MeshGenerator.MESH, MeshGenerator.hotNodeAwsName("primary")))).isEqualTo(-1);
    assertThat(ClientPlan.indexOf(NodeKey.gateway(MeshGenerator.MESH, "gateway_gw-0"))).isEqualTo(-1);
    assertThat(ClientPlan.indexOf(NodeKey.sidecar("other", ClientPlan.awsName(3)))).isEqualTo(-1);
  }

  @Test
  void bitSetsSurviveTheProtocol() {
    BitSet b = new BitSet();
    b.set(0);
    b.set(999);
    assertThat(ClientFleet.decode(ClientFleet.encode(b))).isEqualTo(b);
    assertThat(ClientFleet.encode(new BitSet())).isEqualTo("-");
    assertThat(ClientFleet.decode("-").isEmpty()).isTrue();
  }
}
