package io.appmeshxds.bench.jmh;

import io.appmeshxds.bench.MeshGenerator;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
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
 * T3: re-translation after a one-object change on a warm {@link Translation}. Each invocation
 * applies the snapshot that differs from the previous one in exactly one object, alternating
 * between the base mesh and the changed one, so every invocation is a real one-object change:
 *
 * <ul>
 *   <li>{@code router}: one VirtualRouter's canary weight;
 *   <li>{@code node}: one VirtualNode gains a backend;
 *   <li>{@code slice}: one EndpointSlice endpoint's address changes.
 * </ul>
 *
 * The proxies re-translated per change ({@code Result.translated()}) go to the aux file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChangeBench {
  /** The service whose objects change (any service of every profile). */
  static final int SERVICE = 7;

  @Param({"M1k"})
  public String profile;

  @Param({"router", "node", "slice"})
  public String variant;

  private Meshes.Warm warm;
  private MeshResources base;
  private MeshResources changed;
  private ObjectRef ref;
  private boolean toChanged;
  private int minTranslated = Integer.MAX_VALUE;
  private int maxTranslated;
  private int planned;
  private long changes;

  @Setup(Level.Trial)
  public void setup() {
    warm = Meshes.warm(profile);
    base = warm.base;
    switch (variant) {
      case "router" -> {
        VirtualRouter r = MeshGenerator.router(SERVICE, 37);
        ref = ObjectRef.of(r);
        changed = MeshGenerator.with(base, ref, r);
      }
      case "node" -> {
        ref = new ObjectRef("VirtualNode", MeshGenerator.namespace(SERVICE), MeshGenerator.service(SERVICE) + "-primary");
        VirtualNode n = (VirtualNode) base.objects().get(ref);
        changed = MeshGenerator.with(base, ref, withExtraBackend(n));
      }
      case "slice" -> {
        ref = new ObjectRef("EndpointSlice", MeshGenerator.namespace(SERVICE), MeshGenerator.service(SERVICE) + "-primary-1");
        EndpointSlice s = base.endpointSlices().get(ref);
        List<EndpointSlice.Endpoint> eps = new ArrayList<>(s.endpoints());
        EndpointSlice.Endpoint e = eps.get(0);
        eps.set(0, new EndpointSlice.Endpoint(List.of("10.254.0.1"), e.ready(), e.zone()));
        changed = MeshGenerator.with(base, ref, new EndpointSlice(s.namespace(), s.name(), s.serviceName(), s.addressType(), eps,
            s.ports()));
      }
      default -> throw new IllegalArgumentException("variant " + variant);
    }
    if (ref == null || changed.equals(base)) {
      throw new IllegalStateException("variant " + variant + " changes nothing");
    }
    // Another trial in this JVM may have left the warm state at its own changed snapshot.
    Meshes.apply(warm.translation, base, null);
    toChanged = true;
  }

  /** The node with one more VirtualService backend, one it does not list yet. */
  private VirtualNode withExtraBackend(VirtualNode n) {
    List<VirtualNode.Backend> backends = new ArrayList<>(n.spec().backends());
    int services = MeshGenerator.Profile.of(profile).services();
    for (int t = 0; t < services; t++) {
      Reference r = new Reference(MeshGenerator.namespace(t), MeshGenerator.service(t));
      if (t != SERVICE && backends.stream().noneMatch(b -> b.virtualService() != null
          && r.equals(b.virtualService().virtualServiceRef()))) {
        backends.add(new VirtualNode.Backend(new VirtualNode.VirtualServiceBackend(r, null, null)));
        break;
      }
    }
    VirtualNode.Spec s = n.spec();
    return new VirtualNode(n.metadata(), new VirtualNode.Spec(s.awsName(), s.podSelector(), s.listeners(), s.serviceDiscovery(),
        backends, s.backendGroups(), s.backendDefaults(), s.logging(), s.meshRef()));
  }

  @Benchmark
  public Translation.Result oneObjectChange() {
    MeshResources next = toChanged ? changed : base;
    toChanged = !toChanged;
    Translation.Result r = Meshes.apply(warm.translation, next, ref);
    minTranslated = Math.min(minTranslated, r.translated());
    maxTranslated = Math.max(maxTranslated, r.translated());
    planned = r.planned();
    changes++;
    return r;
  }

  @TearDown(Level.Trial)
  public void report() {
    Meshes.aux("T3 profile=" + profile + " variant=" + variant + " changes=" + changes + " translatedMin="
        + (changes == 0 ? 0 : minTranslated) + " translatedMax=" + maxTranslated + " proxies=" + planned);
  }
}
