package io.appmeshxds.tracing.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts one stream's events into PutLogEvents batches within the API's limits: at most 10,000
 * events; at most 1,048,576 bytes counting each message's UTF-8 bytes plus 26 per event; a time span
 * under 24 hours; chronological order (stable sort by timestamp).
 */
final class Batcher {
  private Batcher() {}

  static final int MAX_BATCH_EVENTS = 10_000;
  static final long MAX_BATCH_BYTES = 1_048_576;
  static final int EVENT_OVERHEAD = 26;
  /**
   * The largest message that can be sent at all: "each log event can be no larger than 1 MB" in the
   * PutLogEvents reference, and with its 26 bytes of overhead a single event must also fit the
   * 1,048,576-byte batch, so 1,048,550 UTF-8 bytes.
   */
  static final int MAX_EVENT_BYTES = (int) (MAX_BATCH_BYTES - EVENT_OVERHEAD);
  /** "The time span in a single batch cannot exceed 24 hours": we keep it strictly below. */
  static final long MAX_SPAN_MS = 24L * 60 * 60 * 1000;

  static List<List<Rec>> batches(List<Rec> events) {
    List<Rec> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(r -> r.timestamp)); // stable
    List<List<Rec>> out = new ArrayList<>();
    List<Rec> cur = new ArrayList<>();
    long bytes = 0;
    for (Rec r : sorted) {
      long size = r.messageBytes + EVENT_OVERHEAD;
      if (!cur.isEmpty() && (cur.size() == MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES
          || r.timestamp - cur.get(0).timestamp >= MAX_SPAN_MS)) {
        out.add(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(r);
      bytes += size;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }
}
