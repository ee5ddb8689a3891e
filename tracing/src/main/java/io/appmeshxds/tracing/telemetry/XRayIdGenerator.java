package io.appmeshxds.tracing.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.Locale;

/**
 * Trace ids whose first 32 bits are the epoch second, as X-Ray's ids are ({@code 1-<8 hex
 * time>-<24 hex random>}). Why: a collector that forwards to X-Ray through the daemon's
 * {@code PutTraceSegments} path needs them (ids too old are rejected); W3C consumers do not care.
 */
final class XRayIdGenerator implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  @Override
  public String generateSpanId() {
    return RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    return String.format(Locale.ROOT, "%08x", System.currentTimeMillis() / 1000) + RANDOM.generateTraceId().substring(8);
  }
}
