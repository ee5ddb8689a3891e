package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.CanaryInfo;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.status.Problem;
import io.appmeshxds.translator.status.Reason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code appmesh-xds validate} reports for a set of manifests: read problems, every object's
 * validation and resolution problems, and Canary checks, in source order.
 */
public final class ManifestValidation {
  private ManifestValidation() {}

  private static final Comparator<Problem> ORDER =
      Comparator.comparing((Problem p) -> p.source() == null ? "" : p.source().location())
          .thenComparingInt(p -> p.source() == null ? -1 : p.source().document())
          .thenComparing(p -> p.object() == null ? "" : p.object().toString())
          .thenComparing(Problem::field)
          .thenComparing(Problem::message);

  /** Every problem found in the loaded manifests, sorted by file, document, object, field. */
  public static List<Problem> problems(LoadResult load) {
    return problems(load, new MeshModelBuilder());
  }

  /** As {@link #problems(LoadResult)}, with a builder that carries contributed checks (gateway composability). */
  public static List<Problem> problems(LoadResult load, MeshModelBuilder builder) {
    BuildResult built = builder.build(MeshResources.of(load));
    List<Problem> all = new ArrayList<>();
    for (Problem p : built.status().allProblems()) {
      // An object rejected only because something it needs is rejected restates that object's
      // problem, which is reported at its source; say the cause once.
      if (p.reason() != Reason.ReferenceNotActive && p.reason() != Reason.MeshNotActive) {
        all.add(p);
      }
    }
    for (CanaryInfo c : load.canaries()) {
      all.addAll(CanaryRules.check(c));
    }
    all.sort(ORDER);
    return List.copyOf(all);
  }

  /** Source text of a problem as the CLI prints it ({@code file[:document-index]}, or "-"). */
  public static String source(Problem p) {
    SourceRef s = p.source();
    return s == null ? "-" : s.toString();
  }
}
