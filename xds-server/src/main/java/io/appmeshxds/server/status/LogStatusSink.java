package io.appmeshxds.server.status;

import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File mode: logs each object whose condition changed (one line per object). */
public final class LogStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger("status");
  private Map<ObjectRef, Condition> last = new HashMap<>();

  @Override
  public synchronized void publish(StatusReport report) {
    Map<ObjectRef, Condition> now = new HashMap<>();
    for (ObjectStatus s : report.objects().values()) {
      now.put(s.object(), s.condition());
      Condition before = last.get(s.object());
      Condition c = s.condition();
      if (c == null || Objects.equals(before, c)) {
        continue;
      }
      if (c.isTrue()) {
        if (before != null || !c.message().isEmpty()) {
          LOG.info("{} accepted{}", s.object(), c.message().isEmpty() ? "" : " (" + c.message() + ")");
        }
      } else {
        LOG.warn("{} rejected ({}): {}", s.object(), c.reason(), c.message());
      }
    }
    for (ObjectRef gone : last.keySet()) {
      if (!now.containsKey(gone)) {
        LOG.info("{} removed", gone);
      }
    }
    last = now;
  }
}
