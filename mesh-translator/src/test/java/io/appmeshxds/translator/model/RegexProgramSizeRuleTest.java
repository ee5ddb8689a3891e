package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A route's regex is judged against the RE2 program size limit our bootstrap sets (1000): surely over
 * it, the object is rejected with the field, the size and the limit; possibly over it (the limit
 * lies within our bounds of RE2's size), accepted with a warning; between Envoy's default (100) and
 * 1000 it is accepted, as App Mesh's Envoys accepted it.
 */
class RegexProgramSizeRuleTest {

  private static ObjectStatus router(String headerRegex, String pathRegex) {
    String yaml = InvalidObjectsTest.BASE + "\n---\n" + InvalidObjectsTest.vr("[{name: r, httpRoute: {match: {path: {regex: \""
        + pathRegex + "\"}, headers: [{name: user-agent, match: {regex: \"" + headerRegex + "\"}}]}, action: {weightedTargets: "
        + InvalidObjectsTest.PRIMARY + "}}}]");
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(yaml));
    return r.status().get(new ObjectRef("VirtualRouter", "demo", "bad"));
  }

  @Test
  void aRegexOverTheLimitIsRejectedWithFieldSizeAndLimit() {
    ObjectStatus s = router("^.{0,128}(iPhone|Android).*$", "/api/.*");
    assertThat(s.accepted()).isFalse();
    List<Problem> errors = s.problems().stream().filter(Problem::isError).toList();
    assertThat(errors).extracting(Problem::field, Problem::message).containsExactly(org.assertj.core.groups.Tuple.tuple(
        "spec.routes[0].httpRoute.match.headers[0].match.regex",
        // RE2 itself counts 1177; our lower bound is 1049.
        "RE2 program size at least 1049 exceeds 1000, the limit our bootstrap sets (re2.max_program_size.error_level); "
            + "Envoy would reject the whole route table"));
    assertThat(errors.get(0).reason()).isEqualTo(Reason.InvalidSpec);
  }

  @Test
  void aPathRegexIsJudgedTheSameWay() {
    ObjectStatus s = router("Mobile", "/v1/.{0,150}"); // 1358
    assertThat(s.accepted()).isFalse();
    assertThat(s.problems()).filteredOn(Problem::isError).extracting(Problem::field)
        .containsExactly("spec.routes[0].httpRoute.match.path.regex");
  }

  @Test
  void aRegexBetweenEnvoysDefaultAndOurLimitIsAccepted() {
    // 184 and 201 instructions: Envoy's default limit (100) would reject both; App Mesh's 1000 does not.
    ObjectStatus s = router(".{0,20}", "^[a-z]{1,100}$");
    assertThat(s.accepted()).as("%s", s.problems()).isTrue();
  }

  @Test
  void aRegexThatMayBeOverTheLimitIsAcceptedWithAWarning() {
    // RE2 itself: 988 (accepted); our bounds, 881..2617, hold the limit, so all we can say is "may".
    ObjectStatus s = router("^.{0,107}(iPhone|Android).*$", "/api/.*");
    assertThat(s.accepted()).as("%s", s.problems()).isTrue();
    assertThat(s.problems()).filteredOn(p -> !p.isError()).extracting(Problem::field, Problem::message)
        .anySatisfy(t -> {
          assertThat(t.toList().get(0)).isEqualTo("spec.routes[0].httpRoute.match.headers[0].match.regex");
          assertThat((String) t.toList().get(1)).startsWith("RE2 program size between ").contains("may exceed 1000");
        });
  }
}
