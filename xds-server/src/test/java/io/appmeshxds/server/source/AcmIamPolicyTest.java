package io.appmeshxds.server.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.aws.FakeAcm;
import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ObjectRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code deploy/aws/acm-iam-policy.json} grants exactly the ACM and ACM Private CA actions the
 * control plane calls, on exactly the ARNs it calls them on: the howto-k8s-tls-acm layout (the
 * validate conformance case, whose ARNs the policy names) is served from the loopback ACM with the
 * real SDK clients through every path that calls AWS (first fetch, a check with nothing new, a
 * renewal, a throttled call retried, a CA rotation), and
 * <ul>
 *   <li>the actions called (service of the X-Amz-Target → IAM prefix) equal the policy's actions;
 *   <li>each call is allowed by a statement that grants its action on a resource matching its ARN;
 *   <li>no statement grants a wildcard action or every resource.
 * </ul>
 */
class AcmIamPolicyTest {
  static final Path POLICY = Path.of("..", "deploy", "aws", "acm-iam-policy.json");
  static final Path LAYOUT = Path.of("src", "test", "resources", "conformance", "validate", "acm-walkthrough", "input",
      "manifest.yaml");
  static final String BLUE = "arn:aws:acm:us-west-2:111122223333:certificate/7a1e2d3c-aaaa-bbbb-cccc-ddddeeeeffff";
  static final String GATEWAY = "arn:aws:acm:us-west-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
  static final String CA = "arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/5d3c6a0e-1111-2222-3333-444455556666";
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  /** The IAM service prefix of each X-Amz-Target service. */
  static final Map<String, String> PREFIX = Map.of("CertificateManager", "acm", "ACMPrivateCA", "acm-pca");

  record Statement(Set<String> actions, List<String> resources) {}

  @Test
  void thePolicyGrantsExactlyTheAcmActionsTheControlPlaneCallsOnTheArnsItNames() throws Exception {
    List<Statement> statements = new ArrayList<>();
    Set<String> granted = new TreeSet<>();
    JsonNode policy = JsonMapper.shared().readTree(Files.readString(POLICY));
    assertThat(policy.path("Version").asString()).isEqualTo("2012-10-17");
    for (JsonNode st : policy.get("Statement")) {
      assertThat(st.get("Effect").asString()).isEqualTo("Allow");
      Set<String> actions = new TreeSet<>();
      st.get("Action").values().forEach(a -> actions.add(a.asString()));
      List<String> resources = new ArrayList<>();
      JsonNode r = st.get("Resource");
      if (r.isArray()) {
        r.values().forEach(x -> resources.add(x.asString()));
      } else {
        resources.add(r.asString());
      }
      assertThat(actions).as("no wildcard actions").noneMatch(a -> a.contains("*") || a.contains("?"));
      assertThat(resources).as("least privilege: the mesh's ARNs, not every resource").isNotEmpty()
          .noneMatch(x -> x.equals("*") || x.endsWith(":*") || x.endsWith("/*"));
      statements.add(new Statement(actions, resources));
      granted.addAll(actions);
    }

    final Instant[] now = {T0};
    Clock clock = new Clock() {
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
    ResourceStore store = new ResourceStore();
    LoadResult loaded = new ManifestLoader().loadText(LAYOUT.toString(), Files.readString(LAYOUT));
    Map<ObjectRef, ResourceStore.Entry> entries = new LinkedHashMap<>();
    for (LoadedObject o : loaded.objects()) {
      entries.put(o.ref(), new ResourceStore.Entry(o.object(), o.source()));
    }
    store.replace("files", entries, List.of());

    List<String> targets;
    try (FakeAcm aws = new FakeAcm()) {
      aws.now(T0);
      FakeAcm.Ca ca = aws.ca(CA);
      aws.issue(BLUE, ca, "blue.howto-k8s-tls-acm.svc.cluster.local");
      aws.issue(GATEWAY, ca, "gateway.howto-k8s-tls-acm.svc.cluster.local");
      try (AcmSource acm = new AcmSource(store, aws::clients, new AcmSource.Settings(Duration.ofMinutes(30), Duration.ofSeconds(5)),
          clock, new Random(7), new SimpleMeterRegistry())) {
        // First fetch: both certificates described and exported, the CA fetched.
        acm.refresh();
        assertThat(store.snapshot().acm().certificates()).containsOnlyKeys(BLUE, GATEWAY);
        assertThat(store.snapshot().acm().authorities()).containsOnlyKeys(CA);

        // A period later, nothing renewed: described only.
        now[0] = now[0].plus(Duration.ofMinutes(40));
        acm.refresh();
        assertThat(aws.count("ExportCertificate")).isEqualTo(2);

        // ACM renews one certificate and the CA is rotated: exported again, CA fetched again.
        now[0] = now[0].plus(Duration.ofMinutes(40));
        aws.now(now[0]);
        aws.issue(BLUE, aws.ca(CA), "blue.howto-k8s-tls-acm.svc.cluster.local");
        acm.refresh();
        assertThat(aws.count("ExportCertificate")).isEqualTo(3);

        // Throttled, then retried.
        aws.fail("DescribeCertificate", new FakeAcm.Failure(400, "ThrottlingException", "Rate exceeded"));
        now[0] = now[0].plus(Duration.ofMinutes(40));
        acm.refresh();
        assertThat(store.problems().get(AcmSource.PARTITION)).as("both certificates' checks failed").hasSize(2);
        aws.heal("DescribeCertificate");
        now[0] = now[0].plus(Duration.ofMinutes(1));
        acm.refresh();
        assertThat(store.problems().get(AcmSource.PARTITION)).as("recovered").isNullOrEmpty();
      }
      targets = aws.targets();
    }

    Set<String> called = new TreeSet<>();
    for (String t : targets) {
      String target = t.substring(0, t.indexOf(' '));
      String arn = t.substring(t.indexOf(' ') + 1);
      String service = target.substring(0, target.indexOf('.'));
      assertThat(PREFIX).as("a service this policy is about").containsKey(service);
      String action = PREFIX.get(service) + ":" + target.substring(target.indexOf('.') + 1);
      called.add(action);
      assertThat(statements).as("%s on %s is allowed by the policy", action, arn)
          .anyMatch(st -> st.actions().contains(action) && st.resources().stream().anyMatch(res -> matches(res, arn)));
    }
    assertThat(called).as("ACM actions the control plane called = the policy's actions").isEqualTo(granted)
        .containsExactly("acm-pca:GetCertificateAuthorityCertificate", "acm:DescribeCertificate", "acm:ExportCertificate");
  }

  /** IAM's resource match: {@code *} any run of characters, {@code ?} one. */
  static boolean matches(String pattern, String arn) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.matches(re.toString(), arn);
  }
}
