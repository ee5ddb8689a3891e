package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.Problem;
import io.appmeshxds.translator.status.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A route's regex is judged against the RE2 program size limit our bootstrap sets (1000): over it,
 * the object is rejected with the field, the size and the limit; between Envoy's default (100) and
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
        "RE2 program size 1177 exceeds 1000, the limit our bootstrap sets (re2.max_program_size.error_level); Envoy would "
            + "reject the whole route table"));
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
}
