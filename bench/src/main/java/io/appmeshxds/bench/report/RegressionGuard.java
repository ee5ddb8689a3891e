package io.appmeshxds.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a run's rows with the last committed result of the same mode ({@code bench/results/
 * <mode>-<date>.md}, the newest that git tracks): per row, the main figure then and now and now ÷
 * then (above 1: slower or larger now). Rows are matched by target and description with the
 * numbers in it left out (the client count, the number of changes). The main figure is read from
 * the measured text the same way for both: the p99 when there is one, else the first number with
 * a unit; times in ms, sizes in bytes.
 */
public final class RegressionGuard {
  private static final Pattern FILE = Pattern.compile("(quick|full)-\\d{4}-\\d\\d-\\d\\d-\\d{4}\\.md");
  private static final String UNIT = "(ms|s|GiB|MiB|KiB|MB/s|MB|%|cores)(?![\\w/])";
  private static final Pattern P99 = Pattern.compile("p99 (\\d+(?:\\.\\d+)?) " + UNIT);
  private static final Pattern FIRST = Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d+)?) " + UNIT);

  /** One compared row. */
  public record Line(String target, String what, String before, String now, String ratio) {}

  private RegressionGuard() {}

  /** The newest committed {@code <mode>-<date>.md} in {@code dir} other than {@code exclude}, if git knows one. */
  public static Optional<Path> lastCommitted(Path dir, String mode, String exclude) {
    try {
      Process p = new ProcessBuilder("git", "-C", dir.toString(), "ls-files", "--", mode + "-*.md").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      return out.lines().map(l -> Path.of(l.trim()).getFileName().toString())
          .filter(n -> FILE.matcher(n).matches() && n.startsWith(mode + "-") && !n.equals(exclude))
          .max(String::compareTo).map(dir::resolve);
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Row key: target and description, numbers left out. */
  static String key(String target, String what) {
    return target + " " + what.replaceAll("\\d+(\\.\\d+)?", "#").replaceAll("\\s+", " ").trim();
  }

  /** The rows of a result file's table: key → {target, what, measured}. */
  static Map<String, String[]> table(String markdown) {
    Map<String, String[]> out = new LinkedHashMap<>();
    int measured = -1;
    for (String line : markdown.split("\n")) {
      if (!line.startsWith("|")) {
        continue;
      }
      List<String> cells = cells(line);
      if (cells.size() > 1 && cells.get(0).equals("target")) {
        measured = cells.indexOf("measured");
        continue;
      }
      if (measured < 0 || cells.size() <= measured || cells.get(0).startsWith("---")) {
        continue;
      }
      out.putIfAbsent(key(cells.get(0), cells.get(1)), new String[] {cells.get(0), cells.get(1), cells.get(measured)});
    }
    return out;
  }

  /** A markdown row's cells, unescaping {@code \|}. */
  static List<String> cells(String line) {
    String[] parts = line.trim().split("(?<!\\\\)\\|", -1);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < parts.length - 1; i++) {
      out.add(parts[i].trim().replace("\\|", "|"));
    }
    return out;
  }

  /** The main figure of a measured text (ms, bytes, or as written), or NaN. */
  static double figure(String measured) {
    Matcher m = P99.matcher(measured);
    if (!m.find()) {
      m = FIRST.matcher(measured);
      if (!m.find()) {
        return Double.NaN;
      }
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "s" -> v * 1000;
      case "GiB" -> v * 1024 * 1024 * 1024;
      case "MiB" -> v * 1024 * 1024;
      case "KiB" -> v * 1024;
      default -> v;
    };
  }

  /** The figure as it was written (for the printout). */
  static String figureText(String measured) {
    Matcher m = P99.matcher(measured);
    if (m.find()) {
      return "p99 " + m.group(1) + " " + m.group(2);
    }
    m = FIRST.matcher(measured);
    return m.find() ? m.group(1) + " " + m.group(2) : "-";
  }

  /** Each of {@code now}'s rows against the same row of {@code before} (a result file's text). */
  public static List<Line> compare(String before, List<Row> now) {
    Map<String, String[]> then = table(before);
    List<Line> out = new ArrayList<>();
    for (Row r : now) {
      String[] b = then.get(key(r.target(), r.what()));
      if (b == null) {
        out.add(new Line(r.target(), r.what(), "(new row)", figureText(r.measured()), "-"));
        continue;
      }
      double x = figure(b[2]);
      double y = figure(r.measured());
      String ratio = Double.isNaN(x) || Double.isNaN(y) || x <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", y / x);
      out.add(new Line(r.target(), r.what(), figureText(b[2]), figureText(r.measured()), ratio));
    }
    return out;
  }

  /** The comparison as a markdown section. */
  public static String markdown(String against, List<Line> lines) {
    StringBuilder sb = new StringBuilder("\n## Against the last committed result (").append(against).append(")\n\n");
    sb.append("now ÷ then of each row's main figure (above 1: slower or larger now); the machine is shared, so a few tens of per cent either way is noise.\n\n");
    sb.append("| target | what | then | now | now ÷ then |\n|---|---|---|---|---|\n");
    for (Line l : lines) {
      sb.append("| ").append(l.target()).append(" | ").append(l.what().replace("|", "\\|")).append(" | ").append(l.before())
          .append(" | ").append(l.now()).append(" | ").append(l.ratio()).append(" |\n");
    }
    return sb.toString();
  }

  /** The comparison as aligned text. */
  public static String text(String against, List<Line> lines) {
    StringBuilder sb = new StringBuilder("regression guard: against ").append(against).append(" (now ÷ then, above 1: slower or larger now)\n");
    for (Line l : lines) {
      String what = l.what().length() > 70 ? l.what().substring(0, 67) + "..." : l.what();
      sb.append(String.format(Locale.ROOT, "%-4s %-70s %22s -> %-22s %s%n", l.target(), what, l.before(), l.now(), l.ratio()));
    }
    return sb.toString();
  }
}
