package io.appmeshxds.translator.input;

import io.appmeshxds.translator.status.Problem;
import java.util.List;

/**
 * What the loader read.
 *
 * @param objects objects that converted cleanly (possibly with warnings)
 * @param canaries Flagger Canaries seen (for {@code validate})
 * @param problems malformed documents and objects, unknown-field warnings
 * @param ioErrors paths that could not be read at all (a usage error for the CLI)
 */
public record LoadResult(
    List<LoadedObject> objects, List<CanaryInfo> canaries, List<Problem> problems, List<String> ioErrors) {

  public LoadResult {
    objects = List.copyOf(objects);
    canaries = List.copyOf(canaries);
    problems = List.copyOf(problems);
    ioErrors = List.copyOf(ioErrors);
  }

  /** Several reads as one. */
  public static LoadResult merge(List<LoadResult> parts) {
    List<LoadedObject> o = new java.util.ArrayList<>();
    List<CanaryInfo> c = new java.util.ArrayList<>();
    List<Problem> p = new java.util.ArrayList<>();
    List<String> e = new java.util.ArrayList<>();
    for (LoadResult r : parts) {
      o.addAll(r.objects());
      c.addAll(r.canaries());
      p.addAll(r.problems());
      e.addAll(r.ioErrors());
    }
    return new LoadResult(o, c, p, e);
  }
}
