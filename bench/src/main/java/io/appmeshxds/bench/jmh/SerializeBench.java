package io.appmeshxds.bench.jmh;

import io.appmeshxds.translator.xds.XdsResources;
import java.util.List;
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
 * Serialization of every unique resource of a translated mesh once, as the ADS server does for the
 * wire ({@code toByteString}); the driver turns the time per operation and the byte count (aux
 * file) into bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SerializeBench {
  @Param({"M1k"})
  public String profile;

  private List<XdsResources.Resource> unique;
  private long bytes;
  private long refs;

  @Setup(Level.Trial)
  public void setup() {
    Meshes.Warm w = Meshes.warm(profile);
    unique = w.unique;
    refs = w.totalRefs;
    bytes = Meshes.serialize(unique);
  }

  @Benchmark
  public long serializeUniqueResources() {
    return Meshes.serialize(unique);
  }

  @TearDown(Level.Trial)
  public void report() {
    Meshes.aux("SER profile=" + profile + " unique=" + unique.size() + " bytes=" + bytes + " refs=" + refs);
  }
}
