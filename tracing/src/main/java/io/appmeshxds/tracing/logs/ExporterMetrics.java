package io.appmeshxds.tracing.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The exporter's counters (Prometheus names get {@code _total}):
 * <ul>
 *   <li>{@code appmeshxds_accesslogs_received}: entries received from proxies;
 *   <li>{@code appmeshxds_accesslogs_sent}: events CloudWatch accepted;
 *   <li>{@code appmeshxds_accesslogs_retried}: calls retried after throttling, 5xx or I/O errors;
 *   <li>{@code appmeshxds_accesslogs_spilled}: events written to the disk buffer;
 *   <li>{@code appmeshxds_accesslogs_dropped}: events given up (disk budget exhausted, a non-retryable error, closed);
 *   <li>{@code appmeshxds_accesslogs_rejected}: events refused for good (over the per-event size limit,
 *       or reported in {@code rejectedLogEventsInfo}: too old, too new, expired);
 *   <li>{@code appmeshxds_accesslogs_corrupt}: damaged spill records (or ack-file lines, or segment
 *       headers) skipped when the disk buffer is read; the good records around them are kept.
 * </ul>
 */
public final class ExporterMetrics {
  final Counter received;
  final Counter sent;
  final Counter retried;
  final Counter spilled;
  final Counter dropped;
  final Counter rejected;
  final Counter corrupt;

  public ExporterMetrics(MeterRegistry registry) {
    received = counter(registry, "received", "Access log entries received from proxies");
    sent = counter(registry, "sent", "Events accepted by CloudWatch Logs");
    retried = counter(registry, "retried", "CloudWatch Logs calls retried (throttling, 5xx, I/O)");
    spilled = counter(registry, "spilled", "Events written to the disk buffer");
    dropped = counter(registry, "dropped", "Events dropped (disk budget exhausted, non-retryable error, closed)");
    rejected = counter(registry, "rejected", "Events rejected (oversized, too old, too new, expired)");
    corrupt = counter(registry, "corrupt", "Damaged disk-buffer records, segment headers or ack-file lines skipped");
  }

  private static Counter counter(MeterRegistry r, String name, String help) {
    return Counter.builder("appmeshxds.accesslogs." + name).description(help).register(r);
  }

  public long received() {
    return (long) received.count();
  }

  public long sent() {
    return (long) sent.count();
  }

  public long retried() {
    return (long) retried.count();
  }

  public long spilled() {
    return (long) spilled.count();
  }

  public long dropped() {
    return (long) dropped.count();
  }

  public long rejected() {
    return (long) rejected.count();
  }

  public long corrupt() {
    return (long) corrupt.count();
  }

  @Override
  public String toString() {
    return "received=" + received() + " sent=" + sent() + " retried=" + retried() + " spilled=" + spilled()
        + " dropped=" + dropped() + " rejected=" + rejected() + (corrupt() > 0 ? " corrupt=" + corrupt() : "");
  }
}
