package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The image's Dockerfile, linted (no Docker engine here): every base image pinned to an exact
 * release or digest, built from source in a build stage, only that stage's jar copied, a
 * non-root numeric user, container-aware JVM flags, exec-form entrypoint, and a build context
 * that leaves host-built artifacts out.
 */
class DockerfileLintTest {
  static final Path DOCKERFILE = Path.of("..", "deploy", "image", "Dockerfile");
  /** An exact release (17.0.15_6-…), or a digest. */
  static final Pattern PINNED = Pattern.compile("^[\\w./-]+(:\\d+\\.\\d+\\.\\d+[\\w.-]*(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$");

  /** Instructions with continuation lines joined, comments dropped. */
  static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n")) {
      if (line.strip().startsWith("#") || (line.isBlank() && cur.isEmpty())) {
        continue;
      }
      String l = line.stripTrailing();
      if (l.endsWith("\\")) {
        cur.append(l, 0, l.length() - 1).append(' ');
      } else {
        cur.append(l);
        out.add(cur.toString().strip());
        cur.setLength(0);
      }
    }
    return out;
  }

  @Test
  void theImageIsBuiltFromSourceOnPinnedBasesAndRunsAsNonRoot() throws Exception {
    List<String> in = instructions(Files.readString(DOCKERFILE, StandardCharsets.UTF_8));
    List<String> froms = in.stream().filter(i -> i.startsWith("FROM ")).toList();
    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    for (String f : froms) {
      String image = f.split("\\s+")[1];
      assertThat(image).as("pinned: " + f).matches(PINNED);
    }
    assertThat(froms.get(0)).as("a named build stage").contains(" AS build");
    int runStage = in.indexOf(froms.get(froms.size() - 1));
    List<String> build = in.subList(in.indexOf(froms.get(0)), runStage);
    assertThat(build).as("the build stage builds the jar from source")
        .anySatisfy(i -> assertThat(i).startsWith("RUN ").contains("mvnw").contains("package"));
    List<String> run = in.subList(runStage, in.size());
    for (String c : run.stream().filter(i -> i.startsWith("COPY ") || i.startsWith("ADD ")).toList()) {
      assertThat(c.contains("--from=build") || !c.contains("target/")).as("nothing host-built is copied: " + c).isTrue();
      assertThat(c).as("no ADD of remote or archive content").startsWith("COPY ");
    }
    assertThat(run).anySatisfy(c -> assertThat(c).startsWith("COPY --from=build").contains("appmesh-xds.jar"));
    List<String> users = run.stream().filter(i -> i.startsWith("USER ")).toList();
    assertThat(users).isNotEmpty();
    Matcher uid = Pattern.compile("USER (\\d+)(:(\\d+))?").matcher(users.get(users.size() - 1));
    assertThat(uid.matches()).as("a numeric user (runAsNonRoot can check it)").isTrue();
    assertThat(Integer.parseInt(uid.group(1))).isNotZero();
    String env = String.join("\n", run.stream().filter(i -> i.startsWith("ENV ")).toList());
    assertThat(env).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
    assertThat(env).as("the CDS archive is the entrypoint's business: a pod's JAVA_TOOL_OPTIONS replaces the image's")
        .doesNotContain("SharedArchiveFile");
    assertThat(run).anySatisfy(i -> assertThat(i).startsWith("RUN ").contains("-XX:ArchiveClassesAtExit="));
    assertThat(run).anySatisfy(i -> assertThat(i).startsWith("ENTRYPOINT [\""));
  }

  /**
   * The class-data-sharing archive is used in a cluster: deploy/base and the chart set
   * JAVA_TOOL_OPTIONS, which replaces the image's, so the entrypoint script adds the archive on the
   * command line. Runs the real script (a stand-in {@code java} prints what it is given) with the
   * env of the base's Deployment and of the chart's, and checks that the archive is the file the
   * build's training run writes, for the jar path the training run used (else the JVM ignores it).
   */
  @Test
  void theCdsArchiveSurvivesTheDeploymentsAndTheChartsEnv(@TempDir Path tmp) throws Exception {
    List<String> in = instructions(Files.readString(DOCKERFILE, StandardCharsets.UTF_8));
    String training = in.stream().filter(i -> i.startsWith("RUN ") && i.contains("-XX:ArchiveClassesAtExit=")).findFirst()
        .orElseThrow();
    Matcher archive = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(training);
    Matcher jar = Pattern.compile(" -jar (\\S+)").matcher(training);
    assertThat(archive.find() && jar.find()).as(training).isTrue();
    Matcher home = Pattern.compile("APPMESH_XDS_HOME=(\\S+)").matcher(String.join("\n", in.stream()
        .filter(i -> i.startsWith("ENV ")).toList()));
    assertThat(home.find()).isTrue();
    assertThat(archive.group(1)).as("the archive is where the entrypoint looks").isEqualTo(home.group(1) + "/appmesh-xds.jsa");
    assertThat(jar.group(1)).as("trained on the jar the entrypoint runs").isEqualTo(home.group(1) + "/appmesh-xds.jar");
    assertThat(in).contains("COPY deploy/image/appmesh-xds.sh /usr/local/bin/appmesh-xds", "ENTRYPOINT [\"appmesh-xds\"]");

    Path fakeHome = Files.createDirectories(tmp.resolve("opt"));
    Files.writeString(fakeHome.resolve("appmesh-xds.jsa"), "archive");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path fakeJava = bin.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\necho \"JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS\"\nfor a in \"$@\"; do echo \"arg:$a\"; done\n");
    assertThat(fakeJava.toFile().setExecutable(true)).isTrue();

    List<JsonNode> base = DeployKustomizeTest.documents(DeployKustomizeTest.kustomize(DeployKustomizeTest.DEPLOY.resolve("base")));
    Map<String, JsonNode> pods = new java.util.LinkedHashMap<>();
    pods.put("deploy/base", DeployKustomizeTest.one(base, "Deployment", "appmesh-xds"));
    pods.put("chart defaults", DeployKustomizeTest.one(HelmChartTest.render(Map.of()), "Deployment", "appmesh-xds"));
    pods.put("chart javaToolOptions", DeployKustomizeTest.one(HelmChartTest.render(Map.of("javaToolOptions", "-Xmx1g")),
        "Deployment", "appmesh-xds"));
    for (Map.Entry<String, JsonNode> e : pods.entrySet()) {
      JsonNode c = e.getValue().path("spec").path("template").path("spec").path("containers").get(0);
      assertThat(c.has("command")).as(e.getKey() + ": the image's entrypoint runs (no command: override)").isFalse();
      Map<String, String> env = new java.util.TreeMap<>();
      c.path("env").forEach(v -> {
        if (v.has("value")) {
          env.put(v.path("name").stringValue(""), v.path("value").stringValue(""));
        }
      });
      assertThat(env).as(e.getKey() + " replaces the image's JAVA_TOOL_OPTIONS").containsKey("JAVA_TOOL_OPTIONS");
      List<String> args = new ArrayList<>();
      c.path("args").forEach(a -> args.add(a.stringValue("")));
      List<String> out = launch(bin, fakeHome, env, args);
      assertThat(out).as(e.getKey()).contains("JAVA_TOOL_OPTIONS=" + env.get("JAVA_TOOL_OPTIONS"),
          "arg:-XX:SharedArchiveFile=" + fakeHome.resolve("appmesh-xds.jsa"), "arg:-Xshare:auto");
      assertThat(out.subList(out.indexOf("arg:-jar"), out.size())).as(e.getKey() + ": the pod's args follow the jar")
          .containsExactlyElementsOf(java.util.stream.Stream.concat(java.util.stream.Stream.of("arg:-jar",
              "arg:" + fakeHome.resolve("appmesh-xds.jar")), args.stream().map(a -> "arg:" + a)).toList());
    }
    // No archive (another image, a stripped layer): no flag, the JVM starts as it would anyway;
    // APPMESH_XDS_CDS=off leaves it out on purpose; JAVA_OPTS is split into flags, after the
    // archive's so that its -Xshare:off wins; an argument with a space stays one argument.
    List<String> opted = launch(bin, fakeHome, Map.of("JAVA_OPTS", "-Xshare:off -Dx=1"), List.of("render", "a b"));
    assertThat(opted).containsSubsequence("arg:-Xshare:auto", "arg:-Xshare:off", "arg:-Dx=1", "arg:-jar").contains("arg:a b");
    assertThat(launch(bin, fakeHome, Map.of("APPMESH_XDS_CDS", "off"), List.of("serve")))
        .noneMatch(a -> a.contains("SharedArchiveFile") || a.contains("Xshare"));
    Files.delete(fakeHome.resolve("appmesh-xds.jsa"));
    assertThat(launch(bin, fakeHome, Map.of(), List.of("serve"))).noneMatch(a -> a.contains("SharedArchiveFile"));
  }

  /** Runs the image's entrypoint script with {@code bin} (a stand-in java) first on the PATH; its output lines. */
  static List<String> launch(Path bin, Path home, Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", DOCKERFILE.resolveSibling("appmesh-xds.sh").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("JAVA") || k.startsWith("APPMESH_XDS"));
    pb.environment().putAll(env);
    pb.environment().put("APPMESH_XDS_HOME", home.toString());
    pb.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void theBuildContextLeavesHostBuiltArtifactsOut() throws Exception {
    List<String> ignored = Files.readAllLines(Path.of("..", ".dockerignore"), StandardCharsets.UTF_8);
    assertThat(ignored).contains("**/target/", "**/node_modules/", ".git/");
  }

  @Test
  void pinningIsCheckedForReal() {
    assertThat("eclipse-temurin:17-jre").doesNotMatch(PINNED);
    assertThat("eclipse-temurin:latest").doesNotMatch(PINNED);
    assertThat("eclipse-temurin:17.0.15_6-jre-noble").matches(PINNED);
    assertThat("eclipse-temurin@sha256:" + "a".repeat(64)).matches(PINNED);
  }
}
