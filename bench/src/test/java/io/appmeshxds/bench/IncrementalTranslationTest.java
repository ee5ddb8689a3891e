package io.appmeshxds.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.tracing.telemetry.ControlPlaneTelemetry;
import io.appmeshxds.translator.api.Reference;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.EndpointSlice;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A warm translation told one changed object at a time (as the server's store tells it) serves
 * exactly the resources a translation from scratch serves, proxy by proxy, over random weight,
 * backend and endpoint changes: the reuse of unchanged resources and versions never goes stale.
 */
class IncrementalTranslationTest {

  @Test
  void oneObjectChangesGiveWhatTranslatingFromScratchGives() {
    MeshGenerator.Profile p = new MeshGenerator.Profile("T", 40, 6, 2, 5);
    MeshResources in = MeshGenerator.generate(p, 3);
    Translation warm = new Translation(Pipelines.standard(MeshGenerator.config()));
    warm.apply(in, List.of());
    Random rnd = new Random(5);
    for (int step = 0; step < 40; step++) {
      int svc = rnd.nextInt(p.services());
      ObjectRef ref;
      Object changed;
      switch (rnd.nextInt(3)) {
        case 0 -> {
          VirtualRouter r = MeshGenerator.router(svc, rnd.nextInt(101));
          ref = ObjectRef.of(r);
          changed = r;
        }
        case 1 -> {
          ref = new ObjectRef("VirtualNode", MeshGenerator.namespace(svc), MeshGenerator.service(svc) + "-primary");
          VirtualNode n = (VirtualNode) in.objects().get(ref);
          List<VirtualNode.Backend> backends = new ArrayList<>(n.spec().backends());
          // Valid changes only: a rejected object keeps its last accepted version served, which a
          // translation from scratch (no history) cannot know.
          int t = rnd.nextInt(p.services());
          Reference target = new Reference(MeshGenerator.namespace(t), MeshGenerator.service(t));
          boolean listed = backends.stream().anyMatch(b -> b.virtualService() != null
              && target.equals(b.virtualService().virtualServiceRef()));
          if (t != svc && !listed) {
            backends.add(new VirtualNode.Backend(new VirtualNode.VirtualServiceBackend(target, null, null)));
          } else if (!backends.isEmpty()) {
            backends.remove(0);
          }
          VirtualNode.Spec s = n.spec();
          changed = new VirtualNode(n.metadata(), new VirtualNode.Spec(s.awsName(), s.podSelector(), s.listeners(),
              s.serviceDiscovery(), backends, s.backendGroups(), s.backendDefaults(), s.logging(), s.meshRef()));
        }
        default -> {
          ref = new ObjectRef("EndpointSlice", MeshGenerator.namespace(svc), MeshGenerator.service(svc) + "-primary-1");
          EndpointSlice s = in.endpointSlices().get(ref);
          List<EndpointSlice.Endpoint> eps = new ArrayList<>(s.endpoints());
          EndpointSlice.Endpoint e = eps.get(0);
          eps.set(0, new EndpointSlice.Endpoint(List.of("10.250." + step + "." + rnd.nextInt(250)), e.ready(), e.zone()));
          changed = new EndpointSlice(s.namespace(), s.name(), s.serviceName(), s.addressType(), eps, s.ports());
        }
      }
      in = MeshGenerator.with(in, ref, changed);
      Translation.Result r = warm.apply(in, new InputChanges(false, Set.of(ref), Set.of(), Set.of()), List.of(),
          ControlPlaneTelemetry.noop().startReconcile());
      Translation.Result scratch = new Translation(Pipelines.standard(MeshGenerator.config())).apply(in, List.of());
      assertThat(r.build().status().objects().values()).as("step %d: every object accepted", step)
          .allMatch(o -> o.accepted());
      assertThat(r.resources()).as("step %d: %s", step, ref).isEqualTo(scratch.resources());
    }
  }
}
