package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.CanaryInfo;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
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
        all.add(flaggers(p));
      }
    }
    for (CanaryInfo c : load.canaries()) {
      all.addAll(CanaryRules.check(c));
    }
    // A document that could not even be identified may have been one: its error says enough.
    boolean unreadable = load.problems().stream().anyMatch(p -> p.isError() && p.object() == null);
    Problem nothing = unreadable ? null : nothingFound(load.read());
    if (nothing != null) {
      all.add(nothing);
    }
    all.sort(ORDER);
    return List.copyOf(all);
  }

  /** A problem of an object Flagger creates says so: the user changes the Canary, not the object. */
  private static Problem flaggers(Problem p) {
    if (p.source() == null || !p.source().derived() || p.object() == null || p.object().kind().equals("Canary")) {
      return p;
    }
    ObjectRef c = p.source().derivedFrom();
    return new Problem(p.severity(), p.reason(), p.object(), p.field(), p.message() + " (Flagger writes this object from"
        + " Canary " + c.namespace() + "/" + c.name() + ": change the Canary)", p.source());
  }

  /**
   * An error when the input holds no App Mesh object and no Flagger Canary at all, saying what was
   * read. Why an error: an empty stream is what a failed {@code kustomize build} leaves in a CI pipe,
   * and "valid" would let that pass.
   */
  static Problem nothingFound(LoadResult.Read read) {
    if (read.meshDocuments() > 0) {
      return null;
    }
    String where = read.inputs().isEmpty() ? "-" : String.join(" ", read.inputs());
    StringBuilder m = new StringBuilder("no App Mesh object and no Flagger Canary found: ");
    if (read.documents() == 0) {
      m.append(read.files() == 0 && !read.inputs().equals(List.of("-"))
          ? "no manifest file was read (*.yaml, *.yml, *.json)"
          : "the input is empty (a failed `kustomize build` in a pipe prints nothing)");
    } else {
      List<String> kinds = new ArrayList<>();
      read.kinds().forEach((kind, n) -> kinds.add(n + " " + kind));
      m.append("read ").append(read.documents()).append(" document(s)")
          .append(read.files() > 0 ? " from " + read.files() + " file(s)" : "")
          .append(" (").append(String.join(", ", kinds)).append(")")
          .append("; validate checks appmesh.k8s.aws/v1beta2 objects and flagger.app Canaries");
    }
    if (!read.templates().isEmpty()) {
      m.append("; ").append(templatesNotRead(read));
    }
    return new Problem(Severity.ERROR, Reason.MalformedInput, null, "", m.toString(), new SourceRef(where, 0, false));
  }

  /** "3 template file(s) not read (a, b, c): …", naming at most three. */
  public static String templatesNotRead(LoadResult.Read read) {
    List<String> t = read.templates();
    String names = String.join(", ", t.subList(0, Math.min(3, t.size()))) + (t.size() > 3 ? ", …" : "");
    return t.size() + " template file(s) not read (" + names + "): substitute their variables first, e.g. with envsubst";
  }

  /** Source text of a problem as the CLI prints it ({@code file[:document-index]}, or "-"). */
  public static String source(Problem p) {
    SourceRef s = p.source();
    return s == null ? "-" : s.toString();
  }
}
