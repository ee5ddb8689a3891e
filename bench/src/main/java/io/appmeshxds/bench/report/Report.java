package io.appmeshxds.bench.report;

import java.util.ArrayList;
import java.util.List;

/** The one table {@code bin/bench} prints, as aligned text and as markdown. */
public final class Report {
  private static final String[] HEADER = {"target", "what", "threshold", "measured", "result"};
  private static final String[] WIDE_HEADER = {"target", "what", "threshold", "measured", "result", "baseline (java-control-plane)",
      "ours ÷ baseline"};

  private final String title;
  private final List<String> notes = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();

  public Report(String title) {
    this.title = title;
  }

  public Report note(String line) {
    notes.add(line);
    return this;
  }

  public Report add(Row row) {
    rows.add(row);
    return this;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Whether any row has a baseline: then the table has its two columns. */
  private boolean wide() {
    return rows.stream().anyMatch(r -> !r.baseline().isEmpty());
  }

  private String[] header() {
    return wide() ? WIDE_HEADER : HEADER;
  }

  private String[] cells(Row r) {
    return wide() ? new String[] {r.target(), r.what(), r.threshold(), r.measured(), r.verdict().toString(),
        r.baseline().isEmpty() ? "-" : r.baseline(), r.ratio().isEmpty() ? "-" : r.ratio()}
        : new String[] {r.target(), r.what(), r.threshold(), r.measured(), r.verdict().toString()};
  }

  /** Plain-text table with aligned columns, notes first. */
  public String text() {
    String[] header = header();
    int[] w = new int[header.length];
    List<String[]> all = new ArrayList<>();
    all.add(header);
    rows.forEach(r -> all.add(cells(r)));
    for (String[] c : all) {
      for (int i = 0; i < c.length; i++) {
        w[i] = Math.max(w[i], c[i].length());
      }
    }
    StringBuilder sb = new StringBuilder(title).append('\n');
    notes.forEach(n -> sb.append(n).append('\n'));
    for (int k = 0; k < all.size(); k++) {
      String[] c = all.get(k);
      for (int i = 0; i < c.length; i++) {
        sb.append(i == 0 ? "" : " | ").append(i == c.length - 1 ? c[i] : pad(c[i], w[i]));
      }
      sb.append('\n');
      if (k == 0) {
        for (int i = 0; i < c.length; i++) {
          sb.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** Markdown: a heading, the notes as a list, the table ({@code |} in cells escaped). */
  public String markdown() {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    notes.forEach(n -> sb.append("- ").append(n).append('\n'));
    String[] header = header();
    sb.append('\n').append(mdRow(header));
    sb.append("|---".repeat(header.length)).append("|\n");
    rows.forEach(r -> sb.append(mdRow(cells(r))));
    return sb.toString();
  }

  private static String mdRow(String[] c) {
    StringBuilder sb = new StringBuilder("|");
    for (String s : c) {
      sb.append(' ').append(s.replace("|", "\\|")).append(" |");
    }
    return sb.append('\n').toString();
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }
}
