package io.appmeshxds.server.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key handling of an ACM export: an encrypted PKCS#8 PEM made by another implementation
 * (BouncyCastle, in the PBES2 forms OpenSSL writes: AES-256-CBC with HMAC-SHA256, OpenSSL 3's
 * default, and AES-128-CBC with HMAC-SHA1, OpenSSL 1.1's) decrypts with the JDK to exactly the
 * key; a wrong passphrase, a foreign key or a malformed PEM fails with a message that quotes
 * nothing of the key; passphrases follow ExportCertificate's rules.
 */
class AcmKeysTest {

  @ParameterizedTest
  @ValueSource(strings = {"RSA-sha256-aes256", "RSA-sha1-aes128", "EC-sha256-aes256"})
  void decryptsTheEncryptedPkcs8KeyAcmExportsToTheSameKey(String form) throws Exception {
    String[] f = form.split("-");
    KeyPair kp = keyPair(f[0]);
    char[] pass = AcmKeys.passphrase();
    String encrypted = FakeAcm.encrypt(kp.getPrivate(), pass.clone(),
        f[1].equals("sha256") ? JcaPKCS8Generator.PRF_HMACSHA256 : JcaPKCS8Generator.PRF_HMACSHA1,
        f[2].equals("aes256") ? JcaPKCS8Generator.AES_256_CBC : JcaPKCS8Generator.AES_128_CBC);
    assertThat(FakeAcm.isEncryptedPkcs8(encrypted)).isTrue();

    ByteString pem = AcmKeys.decrypt(encrypted, pass);

    String text = pem.toString(StandardCharsets.US_ASCII);
    assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(AcmKeys.pem(text, "PRIVATE KEY")).isEqualTo(kp.getPrivate().getEncoded());
  }

  @Test
  void aWrongPassphraseFailsWithoutQuotingTheKey() throws Exception {
    KeyPair kp = keyPair("RSA");
    String encrypted = FakeAcm.encrypt(kp.getPrivate(), "right-passphrase".toCharArray(), JcaPKCS8Generator.PRF_HMACSHA256,
        JcaPKCS8Generator.AES_256_CBC);
    assertThatThrownBy(() -> AcmKeys.decrypt(encrypted, "wrong-passphrase".toCharArray()))
        .isInstanceOf(AcmKeys.KeyException.class)
        .hasMessageStartingWith("cannot decrypt the exported private key")
        .message().doesNotContain("BEGIN").doesNotContain(body(encrypted).substring(0, 16)).doesNotContain("passphrase");
    assertThatThrownBy(() -> AcmKeys.decrypt("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "x".toCharArray())).hasMessage("expected a PEM block ENCRYPTED PRIVATE KEY");
  }

  @Test
  void aKeyIsCheckedAgainstItsCertificate() throws Exception {
    try (FakeAcm acm = new FakeAcm()) {
      FakeAcm.Ca ca = acm.ca("arn:aws:acm-pca:us-west-2:111122223333:certificate-authority/ca");
      FakeAcm.Issued a = acm.issue("arn:aws:acm:us-west-2:111122223333:certificate/a", ca, "a.example");
      FakeAcm.Issued b = acm.issue("arn:aws:acm:us-west-2:111122223333:certificate/b", ca, "b.example");
      AcmKeys.checkPair(a.certificate(), pkcs8Pem(a.keyDer()));
      assertThatThrownBy(() -> AcmKeys.checkPair(a.certificate(), pkcs8Pem(b.keyDer())))
          .isInstanceOf(AcmKeys.KeyException.class).hasMessage("the exported private key does not belong to the certificate");
      acm.keyAlgorithm("EC");
      FakeAcm.Issued e = acm.issue("arn:aws:acm:us-west-2:111122223333:certificate/e", ca, "e.example");
      AcmKeys.checkPair(e.certificate(), pkcs8Pem(e.keyDer()));
      assertThatThrownBy(() -> AcmKeys.checkPair(a.certificate(), pkcs8Pem(e.keyDer())))
          .isInstanceOf(AcmKeys.KeyException.class).message().doesNotContain("BEGIN");
    }
  }

  @Test
  void passphrasesFollowExportCertificatesRulesAndDiffer() {
    char[] a = AcmKeys.passphrase();
    char[] b = AcmKeys.passphrase();
    assertThat(new String(a)).hasSize(32).matches("[A-Za-z0-9]+").doesNotContain("#", "$", "%");
    assertThat(new String(a)).isNotEqualTo(new String(b));
    assertThat(new String(AcmKeys.ascii(a), StandardCharsets.US_ASCII)).isEqualTo(new String(a));
  }

  static ByteString pkcs8Pem(byte[] der) {
    return ByteString.copyFromUtf8("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n");
  }

  static String body(String pem) {
    return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
  }

  static KeyPair keyPair(String alg) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (alg.equals("EC")) {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      g.initialize(2048);
    }
    return g.generateKeyPair();
  }
}
