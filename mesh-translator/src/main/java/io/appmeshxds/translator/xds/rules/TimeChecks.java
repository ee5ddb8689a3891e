package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code google.protobuf.Duration} and {@code google.protobuf.Timestamp} rules (applied only when the
 * field is set; {@code required} is the field's business, see {@link FieldPlan}).
 */
final class TimeChecks {

  /** ±10,000 years, the range protobuf allows for a Duration. */
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;
  /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range protobuf allows for a Timestamp. */
  private static final long MIN_TIMESTAMP_SECONDS = -62_135_596_800L;
  private static final long MAX_TIMESTAMP_SECONDS = 253_402_300_799L;

  private TimeChecks() {}

  /** The check for duration rules, or null when they only say {@code required}. */
  static ValueCheck duration(DurationRules r) {
    if (!(r.hasConst() || r.hasLt() || r.hasLte() || r.hasGt() || r.hasGte()
        || r.getInCount() > 0 || r.getNotInCount() > 0)) {
      return null;
    }
    return new DurationCheck(r);
  }

  /** The check for timestamp rules, or null when they only say {@code required}. */
  static ValueCheck timestamp(TimestampRules r) {
    if (!(r.hasConst() || r.hasLt() || r.hasLte() || r.hasGt() || r.hasGte()
        || r.getLtNow() || r.getGtNow() || r.hasWithin())) {
      return null;
    }
    return new TimestampCheck(r);
  }

  private static final class DurationCheck implements ValueCheck {
    private final Duration constant;
    private final Bounds<Duration> bounds;
    private final List<Duration> in;
    private final Set<Duration> inSet;
    private final List<Duration> notIn;
    private final Set<Duration> notInSet;

    DurationCheck(DurationRules r) {
      constant = r.hasConst() ? of(r.getConst()) : null;
      bounds = new Bounds<>("duration", Comparator.naturalOrder(), Text::duration,
          r.hasLt() ? of(r.getLt()) : null, r.hasLte() ? of(r.getLte()) : null,
          r.hasGt() ? of(r.getGt()) : null, r.hasGte() ? of(r.getGte()) : null);
      in = r.getInList().stream().map(TimeChecks::of).toList();
      inSet = new HashSet<>(in);
      notIn = r.getNotInList().stream().map(TimeChecks::of).toList();
      notInSet = new HashSet<>(notIn);
    }

    @Override
    public boolean check(Object value, Walker w) {
      long[] parts = secondsAndNanos((Message) value);
      long seconds = parts[0];
      long nanos = parts[1];
      if (Math.abs(nanos) > 999_999_999L || Math.abs(seconds) > MAX_DURATION_SECONDS) {
        w.report("duration.valid", "value is not a valid duration");
        return false;
      }
      Duration d = Duration.ofSeconds(seconds, nanos);
      if (constant != null && !d.equals(constant)) {
        w.report("duration.const", "value must equal " + Text.duration(constant));
        return false;
      }
      if (!bounds.check(d, w)) {
        return false;
      }
      if (!inSet.isEmpty() && !inSet.contains(d)) {
        w.report("duration.in", "value must be in list " + Text.list(in, Text::duration));
        return false;
      }
      if (notInSet.contains(d)) {
        w.report("duration.not_in", "value must not be in list " + Text.list(notIn, Text::duration));
        return false;
      }
      return true;
    }
  }

  private static final class TimestampCheck implements ValueCheck {
    private final Instant constant;
    private final Bounds<Instant> bounds;
    private final boolean ltNow;
    private final boolean gtNow;
    private final Duration within;

    TimestampCheck(TimestampRules r) {
      constant = r.hasConst() ? Instant.ofEpochSecond(r.getConst().getSeconds(), r.getConst().getNanos()) : null;
      bounds = new Bounds<>("timestamp", Comparator.naturalOrder(), Instant::toString,
          r.hasLt() ? instant(r.getLt()) : null, r.hasLte() ? instant(r.getLte()) : null,
          r.hasGt() ? instant(r.getGt()) : null, r.hasGte() ? instant(r.getGte()) : null);
      ltNow = r.getLtNow();
      gtNow = r.getGtNow();
      within = r.hasWithin() ? of(r.getWithin()) : null;
    }

    @Override
    public boolean check(Object value, Walker w) {
      long[] parts = secondsAndNanos((Message) value);
      if (parts[0] < MIN_TIMESTAMP_SECONDS || parts[0] > MAX_TIMESTAMP_SECONDS
          || parts[1] < 0 || parts[1] > 999_999_999L) {
        w.report("timestamp.valid", "value is not a valid timestamp");
        return false;
      }
      Instant t = Instant.ofEpochSecond(parts[0], parts[1]);
      if (constant != null && !t.equals(constant)) {
        w.report("timestamp.const", "value must equal " + constant);
        return false;
      }
      if (!bounds.isEmpty()) {
        return bounds.check(t, w);
      }
      // As in protoc-gen-validate, the "now" rules only apply without absolute bounds.
      if ((ltNow || gtNow || within != null) && w.now() == null) {
        // Why fail rather than skip: a rule that was not checked must not pass. Translation is pure
        // and reads no clock; a caller that checks such a field passes the time in.
        return fail(w, ltNow ? "lt_now" : gtNow ? "gt_now" : "within",
            "value is compared with now, and no time was given to compare it with");
      }
      if (ltNow) {
        Instant now = w.now();
        if (within != null) {
          return !(!t.isBefore(now) || t.isBefore(now.minus(within)))
              || fail(w, "lt_now", "value must be less than now within " + Text.duration(within));
        }
        return t.isBefore(now) || fail(w, "lt_now", "value must be less than now");
      }
      if (gtNow) {
        Instant now = w.now();
        if (within != null) {
          return !(!t.isAfter(now) || t.isAfter(now.plus(within)))
              || fail(w, "gt_now", "value must be greater than now within " + Text.duration(within));
        }
        return t.isAfter(now) || fail(w, "gt_now", "value must be greater than now");
      }
      if (within != null) {
        Instant now = w.now();
        return (t.isBefore(now.plus(within)) && t.isAfter(now.minus(within)))
            || fail(w, "within", "value must be within " + Text.duration(within) + " of now");
      }
      return true;
    }

    private static boolean fail(Walker w, String rule, String message) {
      w.report("timestamp." + rule, message);
      return false;
    }

    private static Instant instant(com.google.protobuf.Timestamp ts) {
      return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }
  }

  private static Duration of(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  /** seconds (field 1) and nanos (field 2) of a generated or dynamic Duration/Timestamp. */
  private static long[] secondsAndNanos(Message m) {
    if (m instanceof com.google.protobuf.Duration d) {
      return new long[] {d.getSeconds(), d.getNanos()};
    }
    if (m instanceof com.google.protobuf.Timestamp t) {
      return new long[] {t.getSeconds(), t.getNanos()};
    }
    Descriptor type = m.getDescriptorForType();
    return new long[] {
      (Long) m.getField(type.findFieldByNumber(1)), (Integer) m.getField(type.findFieldByNumber(2))
    };
  }
}
