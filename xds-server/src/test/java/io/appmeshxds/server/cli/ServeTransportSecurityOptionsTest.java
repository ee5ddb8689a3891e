package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.testing.TestPki;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve}'s TLS and authorization flags: every bad combination exits 2 with one clear line
 * before anything listens; plaintext beyond loopback must be asked for.
 */
class ServeTransportSecurityOptionsTest {
  @TempDir Path dir;

  record Run(int code, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), err.toString());
  }

  @Test
  void plaintextBeyondLoopbackMustBeAskedFor() {
    Run r = run("serve", "--bind", "0.0.0.0", "--xds-port", "0", "--admin-port", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--bind 0.0.0.0 serves xDS beyond this host").contains("--xds-plaintext");
  }

  @Test
  void badCombinationsAreUsageErrors() throws Exception {
    TestPki pki = new TestPki(dir, "t");
    TestPki.Issued s = pki.server("srv");
    String cert = s.certFile().toString();
    String key = s.keyFile().toString();
    List<List<String>> cases = List.of(
        List.of("--xds-tls-cert", cert),
        List.of("--xds-plaintext", "--xds-tls-cert", cert, "--xds-tls-key", key),
        List.of("--xds-client-ca", pki.caFile.toString()),
        List.of("--xds-tls-cert", cert, "--xds-tls-key", key, "--xds-client-auth", "require"),
        List.of("--proxy-authorization", "required"),
        List.of("--proxy-authorization", "maybe"),
        List.of("--trust-domain", "spiffe://cluster.local"),
        List.of("--xds-tls-cert", cert, "--xds-tls-key", dir.resolve("missing.key").toString()),
        List.of("--als-client-ca", pki.caFile.toString()));
    List<String> expected = List.of("--xds-tls-cert and --xds-tls-key go together", "contradict each other",
        "need --xds-tls-cert", "needs --xds-client-ca", "--proxy-authorization required needs a way",
        "must be off, warn or required", "SPIFFE trust domain must be a bare name", "no such readable file",
        "--als-client-ca needs --als-tls-cert");
    for (int i = 0; i < cases.size(); i++) {
      List<String> args = new java.util.ArrayList<>(List.of("serve", "--xds-port", "0", "--admin-port", "0"));
      args.addAll(cases.get(i));
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as(cases.get(i).toString()).isEqualTo(2);
      assertThat(r.err()).as(cases.get(i).toString()).contains(expected.get(i));
    }
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsAUsageErrorThatPrintsNoKey() throws Exception {
    TestPki pki = new TestPki(dir, "t");
    TestPki.Issued a = pki.server("a");
    TestPki.Issued b = pki.server("b");
    Run r = run("serve", "--xds-port", "0", "--admin-port", "0", "--xds-tls-cert", a.certFile().toString(), "--xds-tls-key",
        b.keyFile().toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("does not match the certificate");
    for (String body : pki.keyBodies()) {
      assertThat(r.err()).doesNotContain(body);
    }
    assertThat(Files.readString(b.keyFile())).contains("PRIVATE KEY");
  }

  @Test
  void helpListsTheSecurityOptions() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--xds-tls-cert", "--xds-client-ca", "--xds-plaintext", "--proxy-authorization",
        "--trust-domain", "--token-audience", "--als-tls-cert");
  }
}
