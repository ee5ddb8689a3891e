package io.appmeshxds.server.webhook;

import io.appmeshxds.server.KubernetesMode;
import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.translator.model.BuildResult;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The admission webhook of {@code serve --kubernetes}: the HTTPS server on every replica, answering
 * from the latest build, and the certificate upkeep (the Secret and the CA bundle written by the
 * lease holder).
 */
public final class Webhook implements AutoCloseable {
  private final WebhookServer server;
  private final WebhookCertificates certificates;

  private Webhook(WebhookServer server, WebhookCertificates certificates) {
    this.server = server;
    this.certificates = certificates;
  }

  public static Webhook start(KubernetesMode mode, InjectionSettings settings, String namespace, InetSocketAddress bind)
      throws IOException {
    AtomicReference<Object[]> cached = new AtomicReference<>(new Object[2]); // {build, view}
    var reconciler = mode.controlPlane().reconciler();
    AdmissionHandler handler = new AdmissionHandler(new Injector(settings), settings.injection().failurePolicy(), () -> {
      BuildResult b = reconciler.ready() ? reconciler.lastBuild() : null;
      if (b == null) {
        return null;
      }
      Object[] c = cached.get();
      if (c[0] != b) {
        c = new Object[] {b, MeshView.of(b)};
        cached.set(c);
      }
      return (MeshView) c[1];
    }, result -> Counter.builder("appmeshxds_webhook_requests_total").tag("result", result)
        .description("AdmissionReviews answered by the injection webhook, by result").register(mode.controlPlane().metrics()).increment());
    ServingTls tls = new ServingTls();
    WebhookCertificates certs = new WebhookCertificates(mode.client(), namespace, settings.injection().webhook(), tls,
        Clock.systemUTC(), mode.leadership()::isLeader).start();
    return new Webhook(new WebhookServer(bind, tls, handler).start(), certs);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    certificates.close();
  }
}
