package io.appmeshxds.tracing.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Sends batches with PutLogEvents and owns every retry decision (the SDK client is built with
 * retries off, see {@link CloudWatchClients}).
 *
 * <ul>
 *   <li>{@code ResourceNotFoundException}: create the stream (and, if the group is missing too, the
 *       group, then its retention policy when configured); {@code ResourceAlreadyExistsException} on
 *       create counts as success (another writer won the race); then send again.
 *   <li>Throttling, HTTP 5xx and client-side I/O errors: retry after a jittered exponential backoff
 *       ({@code base·2^n}, capped; the wait is half that plus a random half), counted in
 *       {@code retried}. There is no attempt limit: while CloudWatch is unreachable, events stay
 *       queued (memory, then disk), and the disk budget is what bounds the backlog.
 *   <li>Other service errors (invalid parameters, access denied, …): logged, the batch dropped.
 *   <li>{@code rejectedLogEventsInfo}: too old {@code [0, tooOldLogEventEndIndex)}, expired
 *       {@code [0, expiredLogEventEndIndex)}, too new {@code [tooNewLogEventStartIndex, n)} are
 *       counted as rejected and never retried; the rest counts as sent.
 * </ul>
 */
final class CloudWatchSender {
  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchSender.class);

  private final CloudWatchLogsClient client;
  private final int retentionDays;
  private final ExporterClock clock;
  private final ExporterMetrics metrics;
  private final long backoffBaseMs;
  private final long backoffCapMs;
  private final Random random;

  CloudWatchSender(CloudWatchLogsClient client, int retentionDays, ExporterClock clock, ExporterMetrics metrics,
      long backoffBaseMs, long backoffCapMs, Random random) {
    this.client = client;
    this.retentionDays = retentionDays;
    this.clock = clock;
    this.metrics = metrics;
    this.backoffBaseMs = backoffBaseMs;
    this.backoffCapMs = backoffCapMs;
    this.random = random;
  }

  /** Sends one batch (chronological, within the limits) until it is accepted, rejected or given up. */
  void send(LogTarget t, List<Rec> batch) throws InterruptedException {
    List<InputLogEvent> events = new ArrayList<>(batch.size());
    for (Rec r : batch) {
      events.add(InputLogEvent.builder().timestamp(r.timestamp).message(r.message).build());
    }
    int created = 0;
    int attempt = 0;
    while (true) {
      PutLogEventsResponse resp;
      try {
        resp = client.putLogEvents(b -> b.logGroupName(t.group()).logStreamName(t.stream()).logEvents(events));
      } catch (ResourceNotFoundException e) {
        if (created++ > 0) { // created and still not found (eventual consistency): back off like a 5xx
          metrics.retried.increment();
          long wait = backoff(attempt++);
          LOG.info("log stream {} in {} still not found after creating it; retry {} in {} ms", t.stream(), t.group(),
              attempt, wait);
          clock.sleep(wait);
        }
        createStream(t);
        continue;
      } catch (RuntimeException e) {
        if (!retryable(e)) {
          metrics.dropped.increment(batch.size());
          LOG.error("PutLogEvents to {} {}: {}; dropping {} events", t.group(), t.stream(), describe(e), batch.size());
          return;
        }
        metrics.retried.increment();
        long wait = backoff(attempt++);
        // INFO: an operator sees throttling or an outage as it happens (one line per attempt; the
        // single sender thread and the exponential backoff bound the rate).
        LOG.info("PutLogEvents to {} {} failed ({}); retry {} of {} events in {} ms", t.group(), t.stream(), describe(e),
            attempt, batch.size(), wait);
        clock.sleep(wait);
        continue;
      }
      int rejected = rejected(resp.rejectedLogEventsInfo(), batch.size());
      if (rejected > 0) {
        metrics.rejected.increment(rejected);
        RejectedLogEventsInfo r = resp.rejectedLogEventsInfo();
        LOG.warn("CloudWatch rejected {} of {} events for {} {} (tooOldEnd={}, expiredEnd={}, tooNewStart={})", rejected,
            batch.size(), t.group(), t.stream(), r.tooOldLogEventEndIndex(), r.expiredLogEventEndIndex(),
            r.tooNewLogEventStartIndex());
      }
      metrics.sent.increment(batch.size() - rejected);
      return;
    }
  }

  /** Events of an {@code n}-event batch that {@code info} rejects. */
  static int rejected(RejectedLogEventsInfo info, int n) {
    if (info == null) {
      return 0;
    }
    int oldEnd = Math.max(nz(info.tooOldLogEventEndIndex(), 0), nz(info.expiredLogEventEndIndex(), 0));
    oldEnd = Math.min(Math.max(oldEnd, 0), n);
    int newStart = Math.min(Math.max(nz(info.tooNewLogEventStartIndex(), n), oldEnd), n);
    return oldEnd + (n - newStart);
  }

  private static int nz(Integer i, int dflt) {
    return i == null ? dflt : i;
  }

  private void createStream(LogTarget t) throws InterruptedException {
    try {
      call(() -> client.createLogStream(b -> b.logGroupName(t.group()).logStreamName(t.stream())));
      LOG.info("created log stream {} in {}", t.stream(), t.group());
    } catch (ResourceAlreadyExistsException e) {
      // another writer (or an earlier attempt) created it
    } catch (ResourceNotFoundException e) {
      createGroup(t.group());
      try {
        call(() -> client.createLogStream(b -> b.logGroupName(t.group()).logStreamName(t.stream())));
        LOG.info("created log stream {} in {}", t.stream(), t.group());
      } catch (ResourceAlreadyExistsException e2) {
        // fine
      }
    }
  }

  private void createGroup(String group) throws InterruptedException {
    try {
      call(() -> client.createLogGroup(b -> b.logGroupName(group)));
      LOG.info("created log group {}", group);
    } catch (ResourceAlreadyExistsException e) {
      return; // someone else created it, and owns its retention
    }
    if (retentionDays > 0) {
      try {
        call(() -> client.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(retentionDays)));
      } catch (SdkServiceException e) {
        LOG.warn("cannot set retention {} days on log group {}: {}", retentionDays, group, describe(e));
      }
    }
  }

  /** Runs a create call, retrying throttling, 5xx and I/O errors; other errors are thrown. */
  private <T> T call(Supplier<T> c) throws InterruptedException {
    int attempt = 0;
    while (true) {
      try {
        return c.get();
      } catch (RuntimeException e) {
        if (e instanceof ResourceNotFoundException || e instanceof ResourceAlreadyExistsException || !retryable(e)) {
          throw e;
        }
        metrics.retried.increment();
        long wait = backoff(attempt++);
        LOG.info("CloudWatch Logs call failed ({}); retry {} in {} ms", describe(e), attempt, wait);
        clock.sleep(wait);
      }
    }
  }

  /** Throttling, 5xx, I/O: retry. Interrupts become {@link InterruptedException}s (via the caller's sleep). */
  private static boolean retryable(RuntimeException e) {
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
      Thread.currentThread().interrupt();
      return true; // the caller's next sleep throws InterruptedException
    }
    if (e instanceof SdkServiceException s) {
      String code = s instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a
          && a.awsErrorDetails() != null ? a.awsErrorDetails().errorCode() : null;
      return s.isThrottlingException() || s.statusCode() >= 500 || "ThrottlingException".equals(code)
          || "ServiceUnavailableException".equals(code);
    }
    return e instanceof SdkClientException;
  }

  private static String describe(RuntimeException e) {
    if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a && a.awsErrorDetails() != null) {
      return a.awsErrorDetails().errorCode() + " (HTTP " + a.statusCode() + "): " + a.awsErrorDetails().errorMessage();
    }
    return e.toString();
  }

  long backoff(int attempt) {
    long d = backoffCapMs;
    if (attempt < 30) {
      d = Math.min(backoffCapMs, backoffBaseMs << attempt);
    }
    long half = d / 2;
    return half + (half > 0 ? (long) (random.nextDouble() * (d - half + 1)) : 0);
  }
}
