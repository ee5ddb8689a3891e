package io.appmeshxds.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.status.StatusReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The file-mode status log: one line per object whose condition changed, at most six a minute per
 * object, so one object whose condition changes on every NACK cannot flood the log, while every
 * other object's change is still logged.
 */
class LogStatusSinkTest {
  static final ObjectRef NOISY = new ObjectRef("VirtualNode", "demo", "noisy");
  static final ObjectRef QUIET = new ObjectRef("VirtualNode", "demo", "quiet");

  final List<String> lines = new ArrayList<>();
  final AtomicLong now = new AtomicLong(1_000);
  AppenderBase<ILoggingEvent> capture;

  @BeforeEach
  void capture() {
    capture = new AppenderBase<>() {
      @Override
      protected synchronized void append(ILoggingEvent e) {
        lines.add(e.getFormattedMessage());
      }
    };
    capture.start();
    ((Logger) LoggerFactory.getLogger("status")).addAppender(capture);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger("status")).detachAppender(capture);
  }

  static ObjectStatus rejected(ObjectRef ref, String text) {
    return new ObjectStatus(ref, 1, new Condition("VirtualNodeActive", "False", Reason.ConfigRejected, text), List.of(),
        null);
  }

  static ObjectStatus accepted(ObjectRef ref) {
    return new ObjectStatus(ref, 1, new Condition("VirtualNodeActive", "True", null, ""), List.of(), 1L);
  }

  static StatusReport report(ObjectStatus... s) {
    Map<ObjectRef, ObjectStatus> m = new LinkedHashMap<>();
    for (ObjectStatus o : s) {
      m.put(o.object(), o);
    }
    return new StatusReport(m, List.of());
  }

  @Test
  void anObjectWhoseConditionChangesOnEveryNackIsLoggedSixTimesAMinuteAndOthersStillAre() {
    LogStatusSink sink = new LogStatusSink(now::get);
    for (int i = 0; i < 200; i++) {
      sink.publish(report(rejected(NOISY, "NACK " + i), accepted(QUIET)));
    }
    assertThat(lines.stream().filter(l -> l.startsWith("VirtualNode demo/noisy"))).hasSize(6);
    assertThat(lines).noneMatch(l -> l.contains("quiet")); // accepted with no message at first: nothing to say

    sink.publish(report(rejected(NOISY, "NACK 200"), rejected(QUIET, "its own problem")));
    assertThat(lines).last().asString().startsWith("VirtualNode demo/quiet rejected (ConfigRejected): its own problem");

    now.addAndGet(TimeUnit.MINUTES.toNanos(1));
    sink.publish(report(rejected(NOISY, "NACK 201"), rejected(QUIET, "its own problem")));
    assertThat(lines).last().asString().isEqualTo("VirtualNode demo/noisy rejected (ConfigRejected): NACK 201"
        + " (195 similar line(s) suppressed before this one)");
  }
}
