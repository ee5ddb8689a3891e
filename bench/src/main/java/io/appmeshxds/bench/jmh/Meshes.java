package io.appmeshxds.bench.jmh;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.xds.XdsResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the benchmarks share within one JVM: generated meshes (seed 42, default options) and one
 * warm {@link Translation} per profile. Why share: a cold M10k translation takes minutes today, and
 * with {@code -f 0} (bin/bench quick) every benchmark of a profile reuses the same warm state. With
 * forks, each fork builds its own.
 */
public final class Meshes {
  public static final long SEED = 42;

  /** A translation that has built {@code base} once, and what that build produced. */
  public static final class Warm {
    public final MeshResources base;
    public final Translation translation;
    /** Unique resources of the base build (by identity: what the server serializes once each). */
    public final List<XdsResources.Resource> unique;
    public final long totalRefs;

    Warm(MeshResources base, Translation translation, List<XdsResources.Resource> unique, long totalRefs) {
      this.base = base;
      this.translation = translation;
      this.unique = unique;
      this.totalRefs = totalRefs;
    }
  }

  private static final Map<String, MeshResources> MESHES = new ConcurrentHashMap<>();
  private static final Map<String, Warm> WARM = new ConcurrentHashMap<>();

  private Meshes() {}

  /** Drops the shared meshes and translations (after an in-process JMH run, before the load run). */
  public static synchronized void clear() {
    MESHES.clear();
    WARM.clear();
  }

  public static MeshResources mesh(String profile) {
    return MESHES.computeIfAbsent(profile, p -> MeshGenerator.generate(MeshGenerator.Profile.of(p), SEED));
  }

  public static synchronized Warm warm(String profile) {
    Warm w = WARM.get(profile);
    if (w == null) {
      MeshResources base = mesh(profile);
      Translation t = new Translation(Pipelines.standard(MeshGenerator.config()));
      Translation.Result r = apply(t, base, null);
      List<XdsResources.Resource> unique = unique(r.resources().values());
      long refs = 0;
      for (XdsResources x : r.resources().values()) {
        refs += x.size();
      }
      w = new Warm(base, t, unique, refs);
      WARM.put(profile, w);
    }
    return w;
  }

  /**
   * The one place benchmarks call translation. {@code changed} (null: work it out by comparing
   * snapshots) is passed the way the server's store passes what a watch event changed, so a change
   * costs what it touches rather than a walk over every input.
   */
  public static Translation.Result apply(Translation t, MeshResources in, ObjectRef changed) {
    InputChanges what = changed == null ? null : new InputChanges(false, Set.of(changed), Set.of(), Set.of());
    return t.apply(in, what, List.of(), ControlPlaneTelemetry.noop().startReconcile());
  }

  /** Every resource once (by identity), in first-seen order. */
  public static List<XdsResources.Resource> unique(Collection<XdsResources> all) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<XdsResources.Resource> out = new ArrayList<>();
    for (XdsResources x : all) {
      for (XdsResources.Type t : XdsResources.Type.values()) {
        for (XdsResources.Resource r : x.get(t)) {
          if (seen.add(r.proto())) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  /** Serializes each resource the way the ADS server does for the wire (once); returns the bytes. */
  public static long serialize(List<XdsResources.Resource> resources) {
    long bytes = 0;
    for (XdsResources.Resource r : resources) {
      bytes += r.proto().toByteString().size();
    }
    return bytes;
  }

  /**
   * Appends a line of facts JMH cannot report (counts, sizes) to the file named by the system
   * property {@code bench.aux}, for the driver; nothing when the property is unset.
   */
  public static void aux(String line) {
    String f = System.getProperty("bench.aux");
    if (f == null) {
      return;
    }
    try {
      Files.writeString(Path.of(f), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
