package io.appmeshxds.server.source;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.CanaryInfo;
import io.appmeshxds.translator.input.FlaggerObjects;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.input.Workload;
import io.appmeshxds.translator.status.Problem;
import io.appmeshxds.translator.status.Reason;
import io.appmeshxds.translator.status.Severity;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifest files and directories, watched. Each file is one store partition. A change is picked up
 * by the file system watcher and applied after a short debounce (well under a second).
 *
 * <p>Last good per file: when a file stops parsing (a YAML error, a document that cannot be read),
 * the objects it held before that are now missing or unreadable are kept, and the file's errors are
 * reported (log and {@code /status}). A file that parses cleanly is taken as it is, deletions
 * included.
 *
 * <p>Flagger: the App Mesh objects Flagger creates from the Canaries of all files ({@link
 * FlaggerObjects}) are kept in a partition of their own, re-derived after every reload. The store
 * serves them only where no file holds a real object of the same identity, so a real object
 * replaces a derived one, and the derived one comes back if the real one is deleted while the
 * Canary remains.
 */
public final class ManifestSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestSource.class);
  static final String ID = "manifests";
  /** The store partition of the objects Flagger creates from the Canaries of the watched files. */
  static final String FLAGGER_PARTITION = "flagger:derived";

  /** What one file contributes to the Flagger derivation. */
  private record FileInputs(List<LoadedObject> objects, List<CanaryInfo> canaries, List<Workload> workloads) {}

  private final List<Path> roots;
  private final ResourceStore store;
  private final ManifestLoader loader = new ManifestLoader();
  private final Map<Path, Map<ObjectRef, ResourceStore.Entry>> good = new HashMap<>();
  private final Map<Path, FileInputs> inputs = new TreeMap<>();
  private final Set<Path> known = new HashSet<>();
  private final long debounceMillis;
  private WatchService watcher;
  private Thread thread;
  private volatile boolean running;

  public ManifestSource(List<Path> roots, ResourceStore store, long debounceMillis) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.store = store;
    this.debounceMillis = debounceMillis;
    store.register(ID);
  }

  /** Loads everything, marks the source synced, then watches. */
  public ManifestSource start() throws IOException {
    for (Path r : roots) {
      if (!Files.exists(r)) {
        throw new IOException(r + ": no such file or directory");
      }
    }
    reloadAll();
    store.markSynced(ID);
    watcher = FileSystems.getDefault().newWatchService();
    for (Path r : roots) {
      register(Files.isDirectory(r) ? r : r.getParent());
    }
    running = true;
    thread = new Thread(this::watch, "manifest-watcher");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void register(Path dir) throws IOException {
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }

  private void watch() {
    while (running) {
      try {
        WatchKey key = watcher.take();
        // Debounce: editors write in several steps; gather them.
        Thread.sleep(debounceMillis);
        boolean newDirs = false;
        do {
          for (var ev : key.pollEvents()) {
            if (ev.context() instanceof Path p && key.watchable() instanceof Path dir && Files.isDirectory(dir.resolve(p))) {
              newDirs = true;
            }
          }
          key.reset();
          key = watcher.poll();
        } while (key != null);
        if (newDirs) {
          for (Path r : roots) {
            register(Files.isDirectory(r) ? r : r.getParent());
          }
        }
        reloadAll();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.error("manifest watcher: {}", e.toString());
      }
    }
  }

  /** Re-reads every file under the roots and updates changed partitions. */
  synchronized void reloadAll() {
    Set<Path> files = new TreeSet<>();
    for (Path r : roots) {
      files.addAll(ManifestLoader.manifestFiles(r));
    }
    for (Path f : files) {
      reload(f);
    }
    for (Path gone : new ArrayList<>(known)) {
      if (!files.contains(gone)) {
        LOG.info("{} removed: its objects are no longer served", gone);
        known.remove(gone);
        good.remove(gone);
        inputs.remove(gone);
        store.replace(partition(gone), Map.of(), List.of());
      }
    }
    deriveFlaggerObjects();
  }

  /** Re-derives what Flagger creates from the Canaries of every file; replaces the Flagger partition. */
  private void deriveFlaggerObjects() {
    List<LoadedObject> objects = new ArrayList<>();
    List<CanaryInfo> canaries = new ArrayList<>();
    List<Workload> workloads = new ArrayList<>();
    for (FileInputs in : inputs.values()) {
      objects.addAll(in.objects());
      canaries.addAll(in.canaries());
      workloads.addAll(in.workloads());
    }
    FlaggerObjects.Derived d = FlaggerObjects.derive(new LoadResult(objects, canaries, workloads, List.of(), List.of(),
        LoadResult.Read.none()));
    Map<ObjectRef, ResourceStore.Entry> entries = new LinkedHashMap<>();
    d.objects().forEach(o -> entries.putIfAbsent(o.ref(), new ResourceStore.Entry(o.object(), o.source())));
    if (store.replace(FLAGGER_PARTITION, entries, d.problems())) {
      LOG.info("Flagger: {} object(s) derived from {} Canary(ies), {} problem(s)", entries.size(), canaries.size(),
          d.problems().size());
    }
  }

  private void reload(Path f) {
    LoadResult load = loader.loadPaths(List.of(f));
    List<Problem> problems = new ArrayList<>(load.problems());
    load.ioErrors().forEach(e -> problems.add(new Problem(Severity.ERROR, Reason.MalformedInput, null, "", e,
        new SourceRef(f.toString(), 0, false))));
    Map<ObjectRef, ResourceStore.Entry> objects = new LinkedHashMap<>();
    Map<ObjectRef, SourceRef> firstCopies = new LinkedHashMap<>();
    for (LoadedObject o : load.objects()) {
      ResourceStore.Entry earlier = objects.remove(o.ref()); // re-inserted: the last copy wins and keeps its place
      if (earlier != null) {
        firstCopies.putIfAbsent(o.ref(), earlier.source());
      }
      objects.put(o.ref(), new ResourceStore.Entry(o.object(), o.source()));
    }
    firstCopies.forEach((ref, first) -> problems.add(MeshResources.redefined(ref, first, objects.get(ref).source())));
    boolean broken = problems.stream().anyMatch(p -> p.isError() && p.reason() == Reason.MalformedInput
        && (p.object() == null || !objects.containsKey(p.object())));
    Map<ObjectRef, ResourceStore.Entry> previous = good.getOrDefault(f, Map.of());
    List<CanaryInfo> canaries = new ArrayList<>(load.canaries());
    if (broken && inputs.containsKey(f)) {
      // A Canary the file can no longer be read for stays too.
      Set<ObjectRef> now = new HashSet<>();
      canaries.forEach(c -> now.add(c.ref()));
      inputs.get(f).canaries().stream().filter(c -> !now.contains(c.ref())).forEach(canaries::add);
    }
    if (broken) {
      // Keep what this file held before and can no longer be read.
      int kept = 0;
      for (Map.Entry<ObjectRef, ResourceStore.Entry> e : previous.entrySet()) {
        if (!objects.containsKey(e.getKey())) {
          objects.put(e.getKey(), e.getValue());
          kept++;
        }
      }
      if (known.contains(f)) {
        LOG.warn("{} has errors; keeping {} object(s) from its last good version: {}", f, kept,
            problems.stream().filter(Problem::isError).map(Problem::toLine).toList());
      }
    } else {
      good.put(f, Map.copyOf(objects));
    }
    known.add(f);
    List<LoadedObject> held = new ArrayList<>();
    objects.forEach((ref, e) -> held.add(new LoadedObject(e.object(), ref, e.source())));
    inputs.put(f, new FileInputs(held, canaries, load.workloads()));
    if (store.replace(partition(f), objects, problems)) {
      LOG.info("loaded {} ({} object(s), {} problem(s))", f, objects.size(), problems.size());
    }
  }

  private static String partition(Path f) {
    return "file:" + f;
  }

  @Override
  public void close() throws IOException {
    running = false;
    if (watcher != null) {
      watcher.close();
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
