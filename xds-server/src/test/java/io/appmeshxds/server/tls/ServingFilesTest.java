package io.appmeshxds.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmeshxds.server.testing.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and reloading a port's certificate files; errors name files, never their content. */
class ServingFilesTest {
  @TempDir Path dir;

  @Test
  void aMismatchedOrHalfWrittenKeyKeepsThePreviousCertificateUntilAGoodPairArrives() throws Exception {
    TestPki pki = new TestPki(dir, "t");
    TestPki.Issued first = pki.server("srv");
    SimpleMeterRegistry m = new SimpleMeterRegistry();
    AtomicLong now = new AtomicLong(0);
    ServingFiles f = new ServingFiles("xds", new ServingFiles.Files(first.certFile(), first.keyFile(), null, null), m, 1000,
        now::get);
    assertThat(f.certificate().getSerialNumber()).isEqualTo(first.cert().getSerialNumber());
    assertThat(f.checkNow()).as("nothing changed").isFalse();

    // A rotation caught between the two writes: the new certificate, the old key.
    Path oldKey = dir.resolve("old.key");
    Files.copy(first.keyFile(), oldKey);
    TestPki.Issued second = pki.server("srv");
    Files.copy(oldKey, second.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(f.checkNow()).isFalse();
    assertThat(f.certificate().getSerialNumber()).isEqualTo(first.cert().getSerialNumber());
    assertThat(m.find("appmeshxds_tls_reloads_total").tag("result", "error").counter().count()).isEqualTo(1);

    Files.writeString(second.keyFile(), "-----BEGIN PRIVATE KEY-----\nMIGH"); // half written
    assertThat(f.checkNow()).isFalse();
    assertThat(f.certificate().getSerialNumber()).isEqualTo(first.cert().getSerialNumber());

    TestPki.Issued third = pki.server("srv");
    assertThat(f.checkNow()).isTrue();
    assertThat(f.certificate().getSerialNumber()).isEqualTo(third.cert().getSerialNumber());
    assertThat(m.find("appmeshxds_tls_reloads_total").tag("result", "ok").counter().count()).isEqualTo(1);
    assertThat(m.find("appmeshxds_tls_certificate_expiry_seconds").gauge().value())
        .isEqualTo(third.cert().getNotAfter().getTime() / 1000.0);
  }

  @Test
  void pkcs1RsaKeysLoadAsCertManagerWritesThemByDefault() throws Exception {
    TestPki pki = new TestPki(dir, "t");
    TestPki.Issued ec = pki.server("srv");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(rsa); // "BEGIN RSA PRIVATE KEY" (PKCS#1)
    }
    assertThat(w.toString()).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Pem.privateKey(w.toString().getBytes(), "k").getAlgorithm()).isEqualTo("RSA");
    // ...and a key of another pair is refused, naming the files only.
    Path wrong = Files.writeString(dir.resolve("wrong.key"), w.toString());
    assertThatThrownBy(() -> new ServingFiles("xds", new ServingFiles.Files(ec.certFile(), wrong, null, null),
        new SimpleMeterRegistry())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match").hasMessageContaining(wrong.toString())
        .hasMessageNotContaining("MII");
  }

  @Test
  void unreadableFilesAndBadCombinationsAreClearErrors() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate MIIsecret");
    assertThatThrownBy(() -> new ServingFiles("xds", new ServingFiles.Files(junk, junk, null, null), new SimpleMeterRegistry()))
        .hasMessageContaining(junk.toString()).hasMessageNotContaining("MIIsecret");
    assertThatThrownBy(() -> new ServingFiles.Files(junk, junk, null, ServingFiles.ClientAuth.REQUIRE))
        .hasMessageContaining("needs a client CA bundle");
    assertThatThrownBy(() -> new ServingFiles.Files(junk, null, null, null)).hasMessageContaining("key file");
    assertThatThrownBy(() -> ServingFiles.ClientAuth.parse("maybe")).hasMessageContaining("none, optional or require");
  }
}
