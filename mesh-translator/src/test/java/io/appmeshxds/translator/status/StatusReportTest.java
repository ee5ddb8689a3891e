package io.appmeshxds.translator.status;

import io.appmeshxds.translator.input.Reason;
import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.input.ObjectRef;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A report knows which report it follows, without keeping that report (or the chain before it) alive. */
class StatusReportTest {
  private static final ObjectRef A = new ObjectRef("VirtualNode", "demo", "a");
  private static final ObjectRef B = new ObjectRef("VirtualNode", "demo", "b");

  private static ObjectStatus status(ObjectRef ref, String message) {
    return new ObjectStatus(ref, 1L, new Condition("VirtualNodeActive", "False", Reason.ReferenceNotFound, message),
        List.of(), null);
  }

  @Test
  void changesComeFromTheTouchedRefsOfTheReportFollowed() {
    StatusReport first = new StatusReport(Map.of(A, status(A, "x"), B, status(B, "y")), List.of());
    StatusReport second = StatusReport.after(first, Map.of(A, status(A, "x"), B, status(B, "z")), List.of(), Set.of(A, B));
    StatusReport unrelated = StatusReport.after(null, second.objects(), List.of(), Set.of());
    assertThat(second.follows(first)).isTrue();
    assertThat(second.follows(second)).isFalse();
    assertThat(unrelated.follows(second)).isFalse();
    List<ObjectRef> changed = new ArrayList<>();
    StatusReport.changes(first, second, changed::add);
    assertThat(changed).containsExactly(B);
  }

  @Test
  void aReportDoesNotKeepTheOneItFollows() throws InterruptedException {
    StatusReport first = new StatusReport(Map.of(A, status(A, "x")), List.of());
    WeakReference<StatusReport> weak = new WeakReference<>(first);
    StatusReport second = StatusReport.after(first, Map.of(A, status(A, "y")), List.of(), Set.of(A));
    first = null;
    for (int i = 0; i < 20 && weak.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(weak.get()).as("the first report, held only by the second").isNull();
    assertThat(second.objects()).containsKey(A);
  }
}
