package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.demo.Demo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo runs end to end and its table shows traffic following each step. */
class DemoCommandTest {
  @Test
  void walksTheCanaryAndTheAbTestAndExits0() throws Exception {
    StringWriter out = new StringWriter();
    int code = new Demo(new PrintWriter(out)).run();
    String text = out.toString();
    System.out.println(text);
    assertThat(code).isZero();
    assertThat(row(text, "initialized")).containsExactly(200, 200, 0);
    assertThat(row(text, "canary 100% (promoting)")).containsExactly(200, 0, 200);
    assertThat(row(text, "promoted")).containsExactly(200, 200, 0);
    assertThat(row(text, "A/B test running [curl]")).containsExactly(200, 0, 200);
    assertThat(row(text, "A/B test running [Chrome]")).containsExactly(200, 200, 0);
    assertThat(row(text, "A/B promoted [curl]")).containsExactly(200, 200, 0);
    List<Integer> ten = row(text, "canary step 10%");
    assertThat(ten.get(2)).isBetween(2, 50); // n=200, p=0.1: mean 20, sd 4.2
    assertThat(text).containsPattern("canary step 10% .* \\d+ ms \\(file write → ACK\\)");
  }

  /** requests, primary, canary of the row starting with {@code label}. */
  static List<Integer> row(String text, String label) {
    for (String line : text.split("\n")) {
      if (line.startsWith(label + " ")) {
        String[] nums = line.substring(label.length()).replaceAll("[^0-9 ]", " ").trim().split("\\s+");
        // the weights column has digits too; the last three numbers before the ms column are the counts
        List<Integer> all = java.util.Arrays.stream(nums).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        int end = line.contains(" ms (") ? all.size() - 1 : all.size();
        return all.subList(end - 3, end);
      }
    }
    throw new AssertionError("no row " + label + " in\n" + text);
  }
}
