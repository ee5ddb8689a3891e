package io.appmeshxds.translator.input;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the loader read.
 *
 * @param objects objects that converted cleanly (possibly with warnings)
 * @param canaries Flagger Canaries seen
 * @param workloads Deployments and DaemonSets (their pod selectors), for Canaries that target them
 * @param problems malformed documents and objects, unknown-field warnings
 * @param ioErrors paths that could not be read at all (a usage error for the CLI)
 * @param read what was read, for a message when nothing usable was found
 */
public record LoadResult(
    List<LoadedObject> objects,
    List<CanaryInfo> canaries,
    List<Workload> workloads,
    List<Problem> problems,
    List<String> ioErrors,
    Read read) {

  public LoadResult {
    objects = List.copyOf(objects);
    canaries = List.copyOf(canaries);
    workloads = List.copyOf(workloads);
    problems = List.copyOf(problems);
    ioErrors = List.copyOf(ioErrors);
  }

  /**
   * What was read.
   *
   * @param inputs the paths (or "-") given to the loader
   * @param files manifest files read
   * @param documents non-empty documents read (a {@code kind: List} counts once)
   * @param kinds how many documents of each kind were read, App Mesh's included
   * @param meshDocuments documents that are App Mesh objects or Flagger Canaries, read or rejected
   * @param templates {@code *.yaml.template}-style files found in directories and not read
   */
  public record Read(
      List<String> inputs, int files, int documents, SortedMap<String, Integer> kinds, int meshDocuments,
      List<String> templates) {
    public Read {
      inputs = List.copyOf(inputs);
      kinds = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(kinds));
      templates = List.copyOf(templates);
    }

    public static Read none() {
      return new Read(List.of(), 0, 0, new TreeMap<>(), 0, List.of());
    }

    Read plus(Read o) {
      List<String> in = new ArrayList<>(inputs);
      in.addAll(o.inputs);
      TreeMap<String, Integer> k = new TreeMap<>(kinds);
      o.kinds.forEach((kind, n) -> k.merge(kind, n, Integer::sum));
      List<String> t = new ArrayList<>(templates);
      t.addAll(o.templates);
      return new Read(in, files + o.files, documents + o.documents, k, meshDocuments + o.meshDocuments, t);
    }
  }

  /** Several reads as one. */
  public static LoadResult merge(List<LoadResult> parts) {
    List<LoadedObject> o = new ArrayList<>();
    List<CanaryInfo> c = new ArrayList<>();
    List<Workload> w = new ArrayList<>();
    List<Problem> p = new ArrayList<>();
    List<String> e = new ArrayList<>();
    Read read = Read.none();
    for (LoadResult r : parts) {
      o.addAll(r.objects());
      c.addAll(r.canaries());
      w.addAll(r.workloads());
      p.addAll(r.problems());
      e.addAll(r.ioErrors());
      read = read.plus(r.read());
    }
    return new LoadResult(o, c, w, p, e, read);
  }
}
