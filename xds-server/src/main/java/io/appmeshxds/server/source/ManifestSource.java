package io.appmeshxds.server.source;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.CanaryInfo;
import io.appmeshxds.translator.input.FlaggerObjects;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLimits;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.input.SourceRef;
import io.appmeshxds.translator.input.Workload;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifest files and directories, watched. Each file is one store partition.
 *
 * <p>Read only once stable: a changed file (size, modification time or inode) is read only after
 * it has stayed unchanged for the settle period; a file that has not changed since it was last read
 * is not read again (so an 8 MB file costs nothing when another file changes). Writing a file
 * elsewhere and renaming it into place (atomic rename) is the way to write them: the file is
 * never seen half-written. A file that becomes empty, disappears or loses more than half of its
 * objects is applied only after it stays so for another settle period, with a log line; until
 * then its previous objects are served.
 *
 * <p>Bad files: one that is too large ({@link ManifestLimits}), binary, not UTF-8 or not parsable
 * is reported with one line, and its objects from its last good version are served.
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

  /** What a file looked like on disk: a change of any part is a change of the file. */
  private record Stat(long size, long modifiedNanos, Object fileKey) {}

  /** A stat first seen at {@code sinceNanos}. */
  private record Observed(Stat stat, long sinceNanos) {}

  /** A read that would shrink a file's objects, held since {@code sinceNanos}, applied if the file stays so. */
  private record Held(Stat stat, Runnable apply, long sinceNanos) {}

  /** A file that held at least this many objects and loses more than half of them is held (an emptied file always). */
  static final int SHRINK_MIN_OBJECTS = 4;

  private final List<Path> roots;
  private final ResourceStore store;
  private final ManifestLoader loader;
  private final long settleNanos;
  private final LongSupplier clock;
  /** The stat of each file when it was last read (or found unreadable). */
  private final Map<Path, Stat> read = new HashMap<>();
  /**
   * Digests of files read while their modification time was recent: a file system whose
   * timestamps are coarse (a second or two) can hide a same-size rewrite in the same tick, so
   * these are compared by content until their time is old enough (what git calls "racily clean").
   */
  private final Map<Path, byte[]> racy = new HashMap<>();
  /** How recent a modification time must be for a read to be racy. */
  static final long RACY_MILLIS = 2_000;
  /** Changed files not yet stable. */
  private final Map<Path, Observed> changing = new HashMap<>();
  /** Shrinks (and removals) waiting for the settle period. */
  private final Map<Path, Held> held = new HashMap<>();
  private final Map<Path, Map<ObjectRef, ResourceStore.Entry>> good = new HashMap<>();
  private final Map<Path, FileInputs> inputs = new TreeMap<>();
  private final Set<Path> known = new HashSet<>();
  private MeterRegistry metrics = new SimpleMeterRegistry();
  private boolean initial = true;
  /** A file's objects changed in this pass: the Flagger derivation must run again. */
  private boolean applied;
  private WatchService watcher;
  private Thread thread;
  private volatile boolean running;

  /** With the default limits and the system clock; {@code settleMillis} is the settle period. */
  public ManifestSource(List<Path> roots, ResourceStore store, long settleMillis) {
    this(roots, store, settleMillis, ManifestLimits.defaults(), System::nanoTime);
  }

  /**
   * @param settleMillis how long a changed file must stay unchanged before it is read, and a
   *     shrunk one before it is applied
   * @param limits what one file may cost to read
   * @param clock nanoseconds, monotonic (injected by tests)
   */
  public ManifestSource(List<Path> roots, ResourceStore store, long settleMillis, ManifestLimits limits,
      LongSupplier clock) {
    if (settleMillis < 0) {
      throw new IllegalArgumentException("the settle period cannot be negative: " + settleMillis + " ms");
    }
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.store = store;
    this.loader = new ManifestLoader(limits);
    this.settleNanos = TimeUnit.MILLISECONDS.toNanos(settleMillis);
    this.clock = clock;
    store.register(ID);
  }

  /**
   * Where to count refused files ({@code appmeshxds_manifest_files_refused_total{reason}}: too_large,
   * binary, not_utf8, invalid) and held changes ({@code appmeshxds_manifest_changes_held_total{kind}}:
   * shrink, removal). Call before {@link #start()}.
   */
  public ManifestSource metrics(MeterRegistry registry) {
    this.metrics = registry;
    return this;
  }

  private void count(String name, String tag, String value) {
    metrics.counter(name, tag, value).increment();
  }

  /** Why a file was refused, for the metric. */
  private static String refusal(List<Problem> problems) {
    for (Problem p : problems) {
      String m = p.message();
      if (m.contains("the limit for one manifest file")) {
        return "too_large";
      }
      if (m.contains("binary data, not a manifest")) {
        return "binary";
      }
      if (m.contains(": not UTF-8: ")) {
        return "not_utf8";
      }
    }
    return "invalid";
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
    long wait = -1; // nanoseconds until a changing file or a held shrink is due; -1: nothing pending
    while (running) {
      try {
        WatchKey key = wait < 0 ? watcher.take() : watcher.poll(Math.max(wait, 1_000_000), TimeUnit.NANOSECONDS);
        boolean newDirs = false;
        while (key != null) {
          for (var ev : key.pollEvents()) {
            if (ev.context() instanceof Path p && key.watchable() instanceof Path dir && Files.isDirectory(dir.resolve(p))) {
              newDirs = true;
            }
          }
          key.reset();
          key = watcher.poll();
        }
        if (newDirs) {
          for (Path r : roots) {
            register(Files.isDirectory(r) ? r : r.getParent());
          }
        }
        wait = reloadAll();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.error("manifest watcher: {}", e.toString());
      }
    }
  }

  /**
   * Reads the files under the roots that changed and are stable, applies held shrinks that are
   * due; returns the nanoseconds until the next file or shrink is due, or -1 when none is pending.
   */
  synchronized long reloadAll() {
    long now = clock.getAsLong();
    boolean first = initial;
    initial = false;
    Set<Path> files = new TreeSet<>();
    for (Path r : roots) {
      files.addAll(ManifestFiles.list(r));
    }
    long next = Long.MAX_VALUE;
    for (Path f : files) {
      Stat stat = stat(f);
      if (stat != null && stat.equals(read.get(f)) && racy.containsKey(f)) {
        byte[] now2 = digest(f);
        if (now2 != null && !java.util.Arrays.equals(now2, racy.get(f))) {
          read.remove(f); // same size and time, other content: a change after all
        } else if (wallMillis() - TimeUnit.NANOSECONDS.toMillis(stat.modifiedNanos()) > RACY_MILLIS) {
          racy.remove(f);
        } else {
          next = Math.min(next, TimeUnit.MILLISECONDS.toNanos(RACY_MILLIS));
        }
      }
      if (stat == null || stat.equals(read.get(f))) {
        changing.remove(f);
        if (stat != null) {
          next = Math.min(next, due(f, stat, now));
        }
        continue;
      }
      if (!first) {
        Observed o = changing.get(f);
        if (o == null || !o.stat().equals(stat)) {
          changing.put(f, new Observed(stat, now));
          next = Math.min(next, settleNanos);
          continue;
        }
        if (now - o.sinceNanos() < settleNanos) {
          next = Math.min(next, o.sinceNanos() + settleNanos - now);
          continue;
        }
      }
      changing.remove(f);
      read.put(f, stat);
      held.remove(f);
      racy.remove(f);
      if (wallMillis() - TimeUnit.NANOSECONDS.toMillis(stat.modifiedNanos()) <= RACY_MILLIS) {
        byte[] d = digest(f);
        if (d != null) {
          racy.put(f, d);
          next = Math.min(next, TimeUnit.MILLISECONDS.toNanos(RACY_MILLIS));
        }
      }
      reload(f, stat, now, first);
      next = Math.min(next, due(f, stat, now));
    }
    for (Path gone : new ArrayList<>(known)) {
      if (!files.contains(gone)) {
        next = Math.min(next, removed(gone, now));
      }
    }
    changing.keySet().retainAll(files);
    racy.keySet().retainAll(files);
    if (applied || first) {
      deriveFlaggerObjects();
      applied = false;
    }
    return next == Long.MAX_VALUE ? -1 : next;
  }

  /** Applies a held shrink of {@code f} once due; the nanoseconds until it is, or MAX_VALUE. */
  private long due(Path f, Stat stat, long now) {
    Held h = held.get(f);
    if (h == null) {
      return Long.MAX_VALUE;
    }
    if (h.stat() == null || !h.stat().equals(stat)) { // changed again, or back after a removal: the next read decides
      held.remove(f);
      return Long.MAX_VALUE;
    }
    if (now - h.sinceNanos() < settleNanos) {
      return h.sinceNanos() + settleNanos - now;
    }
    held.remove(f);
    h.apply().run();
    return Long.MAX_VALUE;
  }

  /** A file that disappeared: its objects go once it has stayed away for the settle period. */
  private long removed(Path gone, long now) {
    int count = good.getOrDefault(gone, Map.of()).size();
    Held h = held.get(gone);
    if (count > 0 && settleNanos > 0 && (h == null || h.stat() != null)) {
      LOG.warn("{} removed; keeping its {} object(s) until it stays removed for {} ms", gone, count,
          TimeUnit.NANOSECONDS.toMillis(settleNanos));
      count("appmeshxds_manifest_changes_held_total", "kind", "removal");
      held.put(gone, new Held(null, null, now));
      return settleNanos;
    }
    if (h != null && now - h.sinceNanos() < settleNanos) {
      return h.sinceNanos() + settleNanos - now;
    }
    held.remove(gone);
    read.remove(gone);
    LOG.info("{} removed: its {} object(s) are no longer served", gone, count);
    known.remove(gone);
    good.remove(gone);
    inputs.remove(gone);
    store.replace(partition(gone), Map.of(), List.of());
    applied = true;
    return Long.MAX_VALUE;
  }

  /** Wall-clock milliseconds, to compare with file modification times. */
  private static long wallMillis() {
    return System.currentTimeMillis();
  }

  /** SHA-256 of the file's bytes (no more than the limit's worth), or null when it cannot be read. */
  private byte[] digest(Path f) {
    try (java.io.InputStream in = Files.newInputStream(f)) {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      long left = loader.limits().maxFileBytes() + 1;
      for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
        md.update(buf, 0, n);
      }
      return md.digest();
    } catch (IOException e) {
      return null;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stat stat(Path f) {
    try {
      BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
      return new Stat(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
    } catch (IOException e) {
      return null; // gone meanwhile: the next listing says so
    }
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

  private void reload(Path f, Stat stat, long now, boolean first) {
    LoadResult load = ManifestFiles.load(loader, List.of(f));
    List<Problem> problems = new ArrayList<>(load.problems());
    String prefix = f + ": "; // the problem's place names the file already
    load.ioErrors().forEach(e -> problems.add(new Problem(Severity.ERROR, Reason.MalformedInput, null, "",
        e.startsWith(prefix) ? e.substring(prefix.length()) : e, new SourceRef(f.toString(), 0, false))));
    Map<ObjectRef, ResourceStore.Entry> objects = new LinkedHashMap<>();
    Map<ObjectRef, SourceRef> firstCopies = new LinkedHashMap<>();
    for (LoadedObject o : load.objects()) {
      ResourceStore.Entry earlier = objects.remove(o.ref()); // re-inserted: the last copy wins and keeps its place
      if (earlier != null) {
        firstCopies.putIfAbsent(o.ref(), earlier.source());
      }
      objects.put(o.ref(), new ResourceStore.Entry(o.object(), o.source()));
    }
    firstCopies.forEach((ref, earliest) -> problems.add(MeshResources.redefined(ref, earliest, objects.get(ref).source())));
    boolean broken = problems.stream().anyMatch(p -> p.isError() && p.reason() == Reason.MalformedInput
        && (p.object() == null || !objects.containsKey(p.object())));
    Map<ObjectRef, ResourceStore.Entry> previous = good.getOrDefault(f, Map.of());
    List<CanaryInfo> canaries = new ArrayList<>(load.canaries());
    if (broken && inputs.containsKey(f)) {
      // A Canary the file can no longer be read for stays too.
      Set<ObjectRef> present = new HashSet<>();
      canaries.forEach(c -> present.add(c.ref()));
      inputs.get(f).canaries().stream().filter(c -> !present.contains(c.ref())).forEach(canaries::add);
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
      count("appmeshxds_manifest_files_refused_total", "reason", refusal(problems));
      if (known.contains(f)) {
        LOG.warn("{} has errors; keeping {} object(s) from its last good version: {}", f, kept,
            problems.stream().filter(Problem::isError).map(Problem::toLine).toList());
      } else {
        LOG.warn("{} has errors: {}", f, problems.stream().filter(Problem::isError).map(Problem::toLine).toList());
      }
    } else {
      int before = previous.size();
      if (!first && settleNanos > 0 && known.contains(f) && shrinks(before, objects.size())) {
        LOG.warn("{} now holds {} object(s), down from {}; keeping the previous ones until it stays so for {} ms", f,
            objects.size(), before, TimeUnit.NANOSECONDS.toMillis(settleNanos));
        count("appmeshxds_manifest_changes_held_total", "kind", "shrink");
        List<Problem> heldProblems = List.copyOf(problems);
        Map<ObjectRef, ResourceStore.Entry> heldObjects = new LinkedHashMap<>(objects);
        List<CanaryInfo> heldCanaries = List.copyOf(canaries);
        List<Workload> heldWorkloads = load.workloads();
        held.put(f, new Held(stat, () -> {
          LOG.warn("{} stayed at {} object(s) (from {}) for {} ms: applying it", f, heldObjects.size(), before,
              TimeUnit.NANOSECONDS.toMillis(settleNanos));
          apply(f, new LinkedHashMap<>(heldObjects), heldProblems, heldCanaries, heldWorkloads, false);
        }, now));
        return;
      }
    }
    apply(f, objects, problems, canaries, load.workloads(), broken);
  }

  /** A file that loses all its objects, or more than half of at least {@link #SHRINK_MIN_OBJECTS}. */
  static boolean shrinks(int before, int after) {
    return before > 0 && after == 0 || before >= SHRINK_MIN_OBJECTS && after * 2 < before;
  }

  private void apply(Path f, Map<ObjectRef, ResourceStore.Entry> objects, List<Problem> problems,
      List<CanaryInfo> canaries, List<Workload> workloads, boolean broken) {
    if (!broken) {
      good.put(f, Map.copyOf(objects));
    }
    applied = true;
    known.add(f);
    List<LoadedObject> served = new ArrayList<>();
    objects.forEach((ref, e) -> served.add(new LoadedObject(e.object(), ref, e.source())));
    inputs.put(f, new FileInputs(served, canaries, workloads));
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
