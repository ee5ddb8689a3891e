package io.appmeshxds.tracing.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OpenTelemetry SDK with a batching OTLP/gRPC exporter; loaded only when an endpoint is set. */
final class OtlpTelemetry implements ControlPlaneTelemetry {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpTelemetry.class);

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtlpTelemetry(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider.get("io.appmeshxds.reconcile");
  }

  /** {@code endpoint}: {@code http(s)://host:port} or {@code host:port} (plaintext). */
  static OtlpTelemetry start(String endpoint) {
    String url = endpoint.startsWith("http://") || endpoint.startsWith("https://") ? endpoint : "http://" + endpoint;
    String version = OtlpTelemetry.class.getPackage().getImplementationVersion();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "appmesh-xds",
        AttributeKey.stringKey("service.version"), version == null ? "dev" : version)));
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setIdGenerator(new XRayIdGenerator())
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder().setEndpoint(url).build()).build())
        .build();
    LOG.info("control-plane spans go to {} (OTLP/gRPC)", url);
    return new OtlpTelemetry(provider);
  }

  @Override
  public Reconcile startReconcile() {
    Span root = tracer.spanBuilder(RECONCILE).setNoParent().startSpan();
    Context parent = Context.root().with(root);
    return new Reconcile() {
      @Override
      public Phase phase(String name) {
        Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
        return new Phase() {
          @Override
          public void attribute(String key, long value) {
            span.setAttribute(key, value);
          }

          @Override
          public void close() {
            span.end();
          }
        };
      }

      @Override
      public void attribute(String key, long value) {
        root.setAttribute(key, value);
      }

      @Override
      public void failed(Throwable error) {
        root.recordException(error);
        root.setStatus(StatusCode.ERROR, String.valueOf(error));
      }

      @Override
      public void close() {
        root.end();
      }
    };
  }

  @Override
  public void flush(long timeoutMillis) {
    provider.forceFlush().join(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
