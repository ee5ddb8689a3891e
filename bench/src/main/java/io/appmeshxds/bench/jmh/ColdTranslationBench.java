package io.appmeshxds.bench.jmh;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.MeshResources;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * T1: cold full translation of a generated mesh, as after informer caches synced: a fresh
 * {@link Translation} validates, resolves, plans and translates every proxy, then every unique
 * resource is serialized once (the wire form the ADS server sends).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdTranslationBench {
  @Param({"M1k"})
  public String profile;

  private MeshResources mesh;
  private long lastBytes;
  private int lastUnique;
  private int lastPlanned;

  @Setup(Level.Trial)
  public void setup() {
    mesh = Meshes.mesh(profile);
  }

  @Benchmark
  public long coldFullTranslation() {
    Translation t = new Translation(Pipelines.standard(MeshGenerator.config()));
    Translation.Result r = Meshes.apply(t, mesh, null);
    var unique = Meshes.unique(r.resources().values());
    lastBytes = Meshes.serialize(unique);
    lastUnique = unique.size();
    lastPlanned = r.planned();
    return lastBytes;
  }

  @TearDown(Level.Trial)
  public void report() {
    Meshes.aux("T1 profile=" + profile + " proxies=" + lastPlanned + " unique=" + lastUnique + " bytes=" + lastBytes);
  }
}
