package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.aws.FakeAcm;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ObjectRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ACM source's schedule and bookkeeping, against the loopback ACM with the real SDK clients and
 * an injected clock: each ARN is checked about every refresh period (±10 %), sooner as its
 * certificate nears NotAfter, never more than once a minute; an ARN the mesh stops naming is
 * forgotten with its material; a CA is fetched once per period.
 */
class AcmSourceTest {
  static final String CERT = "arn:aws:acm:us-west-2:111122223333:certificate/aaaaaaaa-1111-2222-3333-444455556666";
  static final String CA = "arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/bbbbbbbb-1111-2222-3333-444455556666";
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  FakeAcm aws;
  FakeAcm.Ca ca;
  ResourceStore store = new ResourceStore();
  final Instant[] now = {T0};
  final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now[0];
    }
  };
  AcmSource acm;

  @BeforeEach
  void start() throws Exception {
    aws = new FakeAcm();
    aws.now(T0);
    ca = aws.ca(CA);
    acm = new AcmSource(store, aws::clients, new AcmSource.Settings(Duration.ofMinutes(30), Duration.ofSeconds(5)), clock,
        new Random(3), new SimpleMeterRegistry());
  }

  @AfterEach
  void stop() {
    acm.close();
    aws.close();
  }

  void mesh(boolean withAcm) {
    String tls = withAcm ? """
              tls:
                mode: STRICT
                certificate: {acm: {certificateARN: %s}}
        """.formatted(CERT) : "";
    String trust = withAcm ? """
          backendDefaults:
            clientPolicy: {tls: {validation: {trust: {acm: {certificateAuthorityARNs: [%s]}}}}}
        """.formatted(CA) : "";
    LoadResult r = new ManifestLoader().loadText("mesh.yaml", """
        apiVersion: appmesh.k8s.aws/v1beta2
        kind: VirtualNode
        metadata: {name: blue, namespace: demo}
        spec:
          listeners:
            - portMapping: {port: 8080, protocol: http}
        %s%s""".formatted(tls, trust));
    Map<ObjectRef, ResourceStore.Entry> entries = new LinkedHashMap<>();
    for (LoadedObject o : r.objects()) {
      entries.put(o.ref(), new ResourceStore.Entry(o.object(), o.source()));
    }
    assertThat(entries).hasSize(1);
    store.replace("files", entries, List.of());
  }

  @Test
  void eachArnIsCheckedAboutEveryPeriodAndSoonerNearItsExpiry() {
    aws.issue(CERT, ca, "blue.demo");
    mesh(true);
    acm.refresh();
    assertThat(store.snapshot().acm().certificates()).containsKey(CERT);
    assertThat(store.snapshot().acm().authorities()).containsKey(CA);
    assertThat(Duration.between(T0, acm.nextDue())).isBetween(Duration.ofMinutes(27), Duration.ofMinutes(33));

    // Not due yet: nothing is called.
    now[0] = T0.plus(Duration.ofMinutes(20));
    long calls = aws.calls().size();
    acm.refresh();
    assertThat(aws.calls()).hasSize((int) calls);

    // ACM renews it with 40 minutes left: checked again within about 20 (half the time left).
    now[0] = T0.plus(Duration.ofMinutes(40));
    aws.now(now[0]);
    aws.issue(CERT, ca, "blue.demo", Duration.ofMinutes(40));
    acm.refresh();
    assertThat(aws.count("ExportCertificate")).isEqualTo(2);
    assertThat(Duration.between(now[0], acm.nextDue())).isBetween(Duration.ofMinutes(18), Duration.ofMinutes(22));

    // Expired and never renewed: checked once a minute, not every retry interval.
    now[0] = now[0].plus(Duration.ofHours(2));
    acm.refresh();
    assertThat(Duration.between(now[0], acm.nextDue())).isBetween(Duration.ofSeconds(54), Duration.ofSeconds(66));
    assertThat(store.problems().get(AcmSource.PARTITION)).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("expires at").contains("ACM has not renewed it"));
  }

  @Test
  void anArnNoLongerNamedIsForgottenWithItsMaterial() {
    aws.issue(CERT, ca, "blue.demo");
    mesh(true);
    acm.refresh();
    assertThat(store.snapshot().acm().certificates()).containsKey(CERT);
    mesh(false);
    acm.refresh();
    assertThat(store.snapshot().acm().certificates()).isEmpty();
    assertThat(store.snapshot().acm().authorities()).isEmpty();
    assertThat(acm.nextDue()).isNull();
  }

  @Test
  void aCertificateNeverFetchedIsReportedOnTheFieldThatNamesIt() {
    mesh(true);
    acm.refresh();
    assertThat(store.snapshot().acm().certificates()).isEmpty();
    assertThat(store.problems().get(AcmSource.PARTITION)).singleElement().satisfies(p -> {
      assertThat(p.object()).isEqualTo(new ObjectRef("VirtualNode", "demo", "blue"));
      assertThat(p.field()).isEqualTo("spec.listeners[0].tls.certificate.acm.certificateARN");
      assertThat(p.message()).contains("DescribeCertificate failed").contains("ResourceNotFoundException")
          .contains("this listener is not served until the certificate is fetched");
    });
    assertThat(Duration.between(T0, acm.nextDue())).isBetween(Duration.ofMillis(4500), Duration.ofMillis(5500));
  }
}
