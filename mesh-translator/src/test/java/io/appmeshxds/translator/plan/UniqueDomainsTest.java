package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A domain two virtual hosts list is kept by the first; equal hash codes alone are not a clash. */
class UniqueDomainsTest {

  @Test
  void distinctDomainsWithEqualHashCodesAreKept() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    List<VirtualHostPlan> vhs = List.of(new VirtualHostPlan("a", List.of("Aa", "a.apps"), List.of()),
        new VirtualHostPlan("b", List.of("BB", "b.apps"), List.of()));
    List<String> notes = new ArrayList<>();
    assertThat(Egress.uniqueDomains(vhs, notes)).isSameAs(vhs);
    assertThat(notes).isEmpty();
  }

  @Test
  void aSharedDomainStaysWithTheFirstHostAndIsNoted() {
    List<VirtualHostPlan> vhs = List.of(new VirtualHostPlan("a", List.of("web", "a.apps"), List.of()),
        new VirtualHostPlan("b", List.of("web", "b.apps"), List.of()));
    List<String> notes = new ArrayList<>();
    List<VirtualHostPlan> out = Egress.uniqueDomains(vhs, notes);
    assertThat(out.get(0)).isSameAs(vhs.get(0));
    assertThat(out.get(1).domains()).containsExactly("b.apps");
    assertThat(notes).containsExactly("domain web of b is already served by another backend; dropped");
  }
}
