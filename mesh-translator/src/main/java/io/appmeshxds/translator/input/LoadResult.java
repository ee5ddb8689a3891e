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
}
