package io.appmeshxds.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A line of the driver protocol: a word followed by {@code key=value} pairs, e.g. {@code weight
 * target=hot w=37} or {@code ok ms=41.2 affected=100}. Values contain no spaces.
 */
public final class Msg {
  private final String word;
  private final Map<String, String> args = new LinkedHashMap<>();

  public Msg(String word) {
    this.word = word;
  }

  public static Msg parse(String line) {
    String[] parts = line.trim().split("\\s+");
    Msg m = new Msg(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not key=value: " + parts[i] + " in: " + line);
      }
      m.args.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    return m;
  }

  public String word() {
    return word;
  }

  public Msg put(String key, Object value) {
    String v = value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value);
    if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("value of " + key + " must be non-empty without spaces: '" + v + "'");
    }
    args.put(key, v);
    return this;
  }

  public boolean has(String key) {
    return args.containsKey(key);
  }

  public String str(String key) {
    String v = args.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key + " in: " + this);
    }
    return v;
  }

  public String str(String key, String dflt) {
    return args.getOrDefault(key, dflt);
  }

  public long num(String key) {
    return Long.parseLong(str(key));
  }

  public long num(String key, long dflt) {
    return has(key) ? num(key) : dflt;
  }

  public double dbl(String key) {
    return Double.parseDouble(str(key));
  }

  public Map<String, String> args() {
    return Map.copyOf(args);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(word);
    args.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }
}
