package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit 2 with a message that says what to do, never a stack trace, never the input's content. */
class DiffUsageErrorsTest {
  static final String SHOP = RenderConfigDumpTest.SHOP;
  static final String FRONTEND = RenderConfigDumpTest.FRONTEND;

  @TempDir Path dir;

  static CliRun.Result stdin(String dump, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "diff";
    args[1] = "--config-dump";
    args[2] = "-";
    args[3] = "--manifests=" + SHOP;
    System.arraycopy(more, 0, args, 4, more.length);
    return CliRun.withStdin(dump, args);
  }

  static void assertUsageError(CliRun.Result r, String... fragments) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(fragments).doesNotContain("Exception").doesNotContain("\tat ");
  }

  static String oursDump() {
    return CliRun.run("render", "--manifests", SHOP, "--node", FRONTEND, "--format", "config-dump").out();
  }

  @Test
  void invalidJsonNamesThePlaceAndNeverQuotesTheInput() {
    CliRun.Result r = stdin("{\"configs\": [{\"private_key\": \"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\" oops}]}", "--node", FRONTEND);
    assertUsageError(r, "error: --config-dump -: not valid JSON (line 1, column");
    assertThat(r.err()).doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    assertUsageError(stdin("", "--node", FRONTEND), "empty input");
    assertUsageError(stdin("{\"configs\": " + "[".repeat(5000) + "]".repeat(5000) + "}", "--node", FRONTEND),
        "beyond the JSON parser's limits");
  }

  @Test
  void somethingElseThanAConfigDumpIsSaidToBeSo() {
    assertUsageError(stdin("[1, 2]", "--node", FRONTEND), "not an Envoy config dump: the JSON is not an object");
    assertUsageError(stdin("{\"apiVersion\": \"v1\", \"kind\": \"List\"}", "--node", FRONTEND),
        "not an Envoy config dump", "curl -s localhost:9901/config_dump");
  }

  @Test
  void aV2DumpAndV2ResourcesInAV3DumpAreRefusedWithTheReason() {
    assertUsageError(stdin("{\"configs\": [{\"@type\": \"type.googleapis.com/envoy.admin.v2alpha.BootstrapConfigDump\", \"bootstrap\": {}}]}"),
        "v2 config dump (envoy.admin.v2alpha.BootstrapConfigDump, Envoy 1.16 or older)", "Envoy 1.17 and later");
    // D1's shape: v3 admin wrappers around v2 resources (Envoy 1.16 fed over xDS v2).
    assertUsageError(stdin("{\"configs\": [{\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\", \"dynamic_active_clusters\": "
            + "[{\"cluster\": {\"@type\": \"type.googleapis.com/envoy.api.v2.Cluster\", \"name\": \"cds_egress_x\"}}]}]}", "--node", FRONTEND),
        "xDS v2 resources (envoy.api.v2.Cluster)");
  }

  @Test
  void theNodeMustBeKnownToTheManifestsAndAcceptedThere() throws Exception {
    String dump = oursDump();
    assertUsageError(stdin(dump, "--node", "mesh/shop/virtualNode/nobody_shop"),
        "error: unknown node mesh/shop/virtualNode/nobody_shop: no accepted VirtualNode nobody_shop in mesh shop");
    assertUsageError(stdin(dump), "the dump has no bootstrap node id: give --node NODE_ID");
    assertUsageError(stdin(dump, "--node", "frontend"), "--node frontend: expected mesh/<mesh>/virtualNode/<name>");
    Path bad = Files.writeString(dir.resolve("bad.yaml"),
        Files.readString(Path.of(SHOP)).replace("intervalMillis: 5000\n        timeoutMillis: 2000\n  backends:",
            "intervalMillis: 1\n        timeoutMillis: 2000\n  backends:"));
    CliRun.Result r = CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND, "--manifests", bad.toString());
    assertUsageError(r, "error: VirtualNode shop/frontend is rejected: spec.listeners[0].healthCheck.intervalMillis");
  }

  @Test
  void unreadableFilesAndATooLargeOneAreIoErrors() throws Exception {
    assertUsageError(CliRun.run("diff", "--config-dump", dir.resolve("nope.json").toString(), "--node", FRONTEND, "--manifests", SHOP),
        "nope.json: no such file");
    assertUsageError(CliRun.run("diff", "--config-dump", dir.toString(), "--node", FRONTEND, "--manifests", SHOP), "is a directory");
    Path huge = dir.resolve("huge.json");
    try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(257L * 1024 * 1024); // sparse: nothing is written
    }
    assertUsageError(CliRun.run("diff", "--config-dump", huge.toString(), "--node", FRONTEND, "--manifests", SHOP),
        "larger than 256 MiB");
    assertUsageError(CliRun.withStdin(oursDump(), "diff", "--config-dump", "-", "--node", FRONTEND, "--manifests",
        dir.resolve("none.yaml").toString()), "error: ", "none.yaml");
  }

  @Test
  void optionsThatDoNotGoTogether() {
    String dump = oursDump();
    assertUsageError(CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND),
        "give either --manifests PATH… (what these manifests would push) or --server URL");
    assertUsageError(CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND, "--manifests", SHOP,
        "--server", "http://127.0.0.1:9"), "give either --manifests");
    assertUsageError(CliRun.withStdin(dump, "diff", "--config-dump", "-", "--node", FRONTEND, "--server", "http://127.0.0.1:9",
        "--config", "x.yaml"), "--config goes with --manifests");
    assertUsageError(stdin(dump, "--node", FRONTEND, "--ignore", "Stat-Prefix"), "--ignore Stat-Prefix: expected app-mesh-extensions");
    assertUsageError(CliRun.run("diff", "--node", FRONTEND, "--manifests", SHOP), "Missing required option: '--config-dump=FILE'");
  }

  @Test
  void helpSaysWhatIsComparedAndWhatIsIgnored() {
    CliRun.Result r = CliRun.run("diff", "--help");
    assertThat(r.code()).isZero();
    String text = r.out().replaceAll("\\s+", " ");
    assertThat(text).contains("running <v> ≠ ours <v>").contains("[not in upstream Envoy]")
        .contains("Ignored: version_info, last_updated").contains("endpoints and resolved addresses")
        .contains("Exit codes: 0 equivalent").contains("--server=URL").contains("--ignore=WHAT");
  }
}
