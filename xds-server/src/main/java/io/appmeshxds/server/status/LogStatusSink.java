package io.appmeshxds.server.status;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File mode: logs each object whose condition changed (one line per object). */
public final class LogStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger("status");
  private StatusReport last = StatusReport.empty();

  @Override
  public synchronized void publish(StatusReport report) {
    StatusReport before = last;
    StatusReport.changes(before, report, ref -> {
      ObjectStatus was = before.get(ref);
      ObjectStatus now = report.get(ref);
      if (now == null) {
        LOG.info("{} removed", ref);
        return;
      }
      Condition c = now.condition();
      Condition old = was == null ? null : was.condition();
      if (c == null || Objects.equals(old, c)) {
        return;
      }
      if (c.isTrue()) {
        if (old != null || !c.message().isEmpty()) {
          LOG.info("{} accepted{}", ref, c.message().isEmpty() ? "" : " (" + c.message() + ")");
        }
      } else {
        LOG.warn("{} rejected ({}): {}", ref, c.reason(), c.message());
      }
    });
    last = report;
  }
}
