package io.appmeshxds.server.status;

import io.appmeshxds.server.grpc.RateLimitedLog;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File mode: logs each object whose condition changed (one line per object), at most {@link
 * #LINES_PER_OBJECT_PER_MINUTE} lines per object a minute. Why per object: a proxy NACKing every
 * response with new text changes its node's condition each time, and each change would be a line
 * carrying that text (200 NACKs once wrote 56 KB of status lines); a limit per object keeps one
 * object from flooding the log without hiding any other object's rejection. The next line written
 * for an object says how many were suppressed before it.
 */
public final class LogStatusSink implements StatusSink {
  static final int LINES_PER_OBJECT_PER_MINUTE = 6;
  private static final Logger LOG = LoggerFactory.getLogger("status");
  private final LongSupplier nanoClock;
  private final Map<ObjectRef, RateLimitedLog> limits = new HashMap<>();
  private StatusReport last = StatusReport.empty();

  public LogStatusSink() {
    this(System::nanoTime);
  }

  /** With an injected clock ({@link System#nanoTime()} semantics), for tests. */
  LogStatusSink(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized void publish(StatusReport report) {
    StatusReport before = last;
    StatusReport.changes(before, report, ref -> {
      ObjectStatus was = before.get(ref);
      ObjectStatus now = report.get(ref);
      if (now == null) {
        limits.remove(ref);
        LOG.info("{} removed", ref);
        return;
      }
      Condition c = now.condition();
      Condition old = was == null ? null : was.condition();
      if (c == null || Objects.equals(old, c)) {
        return;
      }
      if (c.isTrue() && old == null && c.message().isEmpty()) {
        return;
      }
      long suppressed = limits.computeIfAbsent(ref, r -> new RateLimitedLog(LINES_PER_OBJECT_PER_MINUTE, nanoClock))
          .tryAcquire();
      if (suppressed < 0) {
        return;
      }
      if (c.isTrue()) {
        LOG.info("{} accepted{}{}", ref, c.message().isEmpty() ? "" : " (" + c.message() + ")",
            RateLimitedLog.note(suppressed));
      } else {
        LOG.warn("{} rejected ({}): {}{}", ref, c.reason(), c.message(), RateLimitedLog.note(suppressed));
      }
    });
    last = report;
  }
}
