package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

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
    assertThat(env).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=");
    assertThat(run).anySatisfy(i -> assertThat(i).startsWith("RUN ").contains("-XX:ArchiveClassesAtExit="));
    assertThat(run).anySatisfy(i -> assertThat(i).startsWith("ENTRYPOINT [\""));
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
