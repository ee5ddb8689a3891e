package io.appmeshxds.tracing.telemetry;

import io.appmeshxds.tracing.config.ControlPlaneConfig;

/**
 * The control plane's own spans: one trace per reconcile, a root span {@code reconcile} with one
 * child per phase ({@code load}, {@code validate}, {@code plan}, {@code translate},
 * {@code publish}), exported over OTLP/gRPC when {@code telemetry.otlpEndpoint} is set. Without an
 * endpoint {@link #create} returns {@link #noop()}, which creates no OpenTelemetry SDK object.
 *
 * <p>Used from the reconciler thread; one {@link Reconcile} at a time.
 */
public interface ControlPlaneTelemetry extends AutoCloseable {
  /** Root span name. */
  String RECONCILE = "reconcile";
  /** Phase: taking the snapshot of inputs from the store. */
  String LOAD = "load";
  /** Phase: validating and resolving the snapshot into the model ({@code MeshModelBuilder}). */
  String VALIDATE = "validate";
  /** Phase: planning every proxy ({@code Planner}). */
  String PLAN = "plan";
  /** Phase: building Envoy resources for the plans that changed ({@code XdsTranslator}). */
  String TRANSLATE = "translate";
  /** Phase: checking and handing resources to the xDS cache, which pushes them. */
  String PUBLISH = "publish";

  /** Attribute: objects in the snapshot. */
  String OBJECTS = "appmeshxds.objects";
  /** Attribute: objects rejected (with an error) in this build. */
  String OBJECTS_REJECTED = "appmeshxds.objects.rejected";
  /** Attribute: proxy groups planned (sidecars, gateways, proxyless clients). */
  String PROXIES = "appmeshxds.proxies";
  /** Attribute: proxy groups whose plan changed and were translated again. */
  String PROXIES_TRANSLATED = "appmeshxds.proxies.translated";
  /** Attribute: proxy groups whose resources changed and were published. */
  String PROXIES_PUBLISHED = "appmeshxds.proxies.published";
  /** Attribute: proxy groups whose new resources failed the checks and were withheld. */
  String PROXIES_WITHHELD = "appmeshxds.proxies.withheld";
  /** Attribute: xDS responses the publish caused (resources pushed to connected proxies). */
  String RESPONSES = "appmeshxds.responses";
  /** Attribute: build number of this control plane process. */
  String BUILD = "appmeshxds.build";

  /** Starts the trace of one reconcile. */
  Reconcile startReconcile();

  /** Exports what is buffered, waiting at most {@code timeoutMillis}. */
  void flush(long timeoutMillis);

  /** Exports what is buffered and stops. */
  @Override
  void close();

  /** No spans, no SDK. */
  static ControlPlaneTelemetry noop() {
    return Noop.INSTANCE;
  }

  /** OTLP/gRPC export to {@code telemetry.otlpEndpoint}, or {@link #noop()} when it is empty. */
  static ControlPlaneTelemetry create(ControlPlaneConfig.Telemetry config) {
    return config.otlpEndpoint().isEmpty() ? noop() : OtlpTelemetry.start(config.otlpEndpoint());
  }

  /** The root span of one reconcile; closing it ends the trace. */
  interface Reconcile extends AutoCloseable {
    /** Starts a child span; close it when the phase is done. */
    Phase phase(String name);

    /** Sets a numeric attribute on the root span. */
    void attribute(String key, long value);

    /** Marks the reconcile as failed. */
    void failed(Throwable error);

    @Override
    void close();
  }

  /** A child span of a reconcile. */
  interface Phase extends AutoCloseable {
    void attribute(String key, long value);

    /** Sets an attribute whose value costs something to compute; computed only when spans are exported. */
    default void attribute(String key, java.util.function.LongSupplier value) {
      attribute(key, value.getAsLong());
    }

    @Override
    void close();
  }

  /** Does nothing. */
  final class Noop implements ControlPlaneTelemetry, Reconcile, Phase {
    static final Noop INSTANCE = new Noop();

    private Noop() {}

    @Override
    public Reconcile startReconcile() {
      return this;
    }

    @Override
    public Phase phase(String name) {
      return this;
    }

    @Override
    public void attribute(String key, long value) {}

    @Override
    public void attribute(String key, java.util.function.LongSupplier value) {}

    @Override
    public void failed(Throwable error) {}

    @Override
    public void flush(long timeoutMillis) {}

    @Override
    public void close() {}
  }
}
