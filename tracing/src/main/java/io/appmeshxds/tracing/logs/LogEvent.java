package io.appmeshxds.tracing.logs;

/**
 * One CloudWatch Logs event.
 *
 * @param timestamp epoch milliseconds
 * @param message the message (one JSON object for access-log entries)
 */
public record LogEvent(long timestamp, String message) {}
