package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.cli.ValidateCommandTest.Run;
import io.appmeshxds.translator.input.HostileInputs;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} on hostile input: a clear line and an exit code, never a stack trace, each
 * within a stated CPU and allocation budget (measured on the calling thread, printed).
 */
class ValidateUntrustedInputTest {
  static final String ROUTER = """
      ---
      apiVersion: appmesh.k8s.aws/v1beta2
      kind: VirtualRouter
      metadata: {name: evil, namespace: demo}
      spec:
        listeners: [{portMapping: {port: 8080, protocol: http}}]
        routes:
          - name: r
            httpRoute:
              match:
                prefix: /
                headers: [{name: x, match: {regex: "%s"}}]
              action: {weightedTargets: [{virtualNodeRef: {name: svc0}, weight: 1}]}
      """;

  @TempDir Path dir;

  @org.junit.jupiter.api.BeforeAll
  static void warmUp() {
    ValidateCommandTest.run(HostileInputs.mesh(2), "-"); // class loading and JIT are not the input's cost
  }

  private static void noStackTrace(Run r) {
    assertThat(r.out() + r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("OutOfMemory");
  }

  @Test
  void theIssueRegexIsOneErrorLineNamingObjectAndField() throws Exception {
    String text = HostileInputs.mesh(1) + ROUTER.formatted("((((a{1,1000}){1,1000}){1,1000}){1,1000})");
    Run r = HostileInputs.measured("validate: 41-character regex", 3_000, 512L << 20, () -> ValidateCommandTest.run(text, "-"));
    noStackTrace(r);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).singleElement().asString().startsWith("- document 6: VirtualRouter demo/evil: "
        + "spec.routes[0].httpRoute.match.headers[0].match.regex: \"((((a{1,1000}){1,1000}){1,1000}){1,1000})\" is not a "
        + "valid RE2 regular expression (Envoy would reject the route): invalid repetition size");
    assertThat(r.err()).contains("1 error(s)");
  }

  @Test
  void a200KilobyteRegexIsRejectedCheaplyAndNotQuotedWhole() throws Exception {
    String text = HostileInputs.mesh(1) + ROUTER.formatted("(a{1,1000})".repeat(200 * 1024 / 11));
    Run r = HostileInputs.measured("validate: 200 KB regex", 3_000, 512L << 20, () -> ValidateCommandTest.run(text, "-"));
    noStackTrace(r);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).allSatisfy(l -> assertThat(l).startsWith("- document 6: VirtualRouter demo/evil: ").hasSizeLessThan(600));
    assertThat(r.out()).contains("(204798 characters) is not a valid RE2 regular expression")
        .contains("longer than 4096 characters");
  }

  @Test
  void refusedFilesAreOneLineAndExit2() throws Exception {
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
      raf.setLength(50L << 20);
    }
    Run r = HostileInputs.measured("validate: 50 MB file", 1_000, 64L << 20, () -> ValidateCommandTest.run(null, huge.toString()));
    noStackTrace(r);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("error: " + huge + ": 52,428,800 bytes (50.0 MiB), over 33,554,432 bytes "
        + "(32.0 MiB), the limit for one manifest file (--max-manifest-bytes); not read");

    byte[] junk = new byte[1 << 20];
    new Random(3).nextBytes(junk);
    Path bin = Files.write(dir.resolve("junk.yaml"), junk);
    r = ValidateCommandTest.run(null, bin.toString());
    noStackTrace(r);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("error: " + bin + ": binary data, not a manifest (a NUL byte at byte offset ");

    Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    r = ValidateCommandTest.run(null, latin1.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("error: " + latin1 + ": not UTF-8: byte 0xE9 at byte offset 3 (line 1) does not "
        + "begin a valid UTF-8 sequence; manifests must be UTF-8 text; not read");
  }

  @Test
  void theByteLimitIsAnOptionAndAppliesToStdin() {
    Run r = ValidateCommandTest.run(HostileInputs.mesh(10), "--max-manifest-bytes", "1Ki", "-");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("error: -: more than 1,024 bytes (0.0 MiB), the limit for one manifest file "
        + "(--max-manifest-bytes); not read");
    r = ValidateCommandTest.run(HostileInputs.mesh(1), "--max-manifest-bytes", "lots", "-");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'lots' is not a byte count (e.g. 33554432, 32Mi, 512Ki)");
    noStackTrace(r);
  }
}
