package io.appmeshxds.bench;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.reconcile.Translation;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.xds.Protos;
import io.appmeshxds.translator.xds.XdsResources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Quick timings of translation: cold full build (T1) and one-object changes (T3), outside JMH. */
public final class TranslationProbe {
  private TranslationProbe() {}

  public record Timings(double fullMs, double serializeMs, long resources, long bytes, List<Double> changeMs, int lastTranslated) {}

  public static Timings run(MeshGenerator.Profile p, int changes) {
    MeshResources m = MeshGenerator.generate(p, 42);
    Translation t = new Translation(Pipelines.standard(MeshGenerator.config()));
    long t0 = System.nanoTime();
    Translation.Result r = t.apply(m, List.of());
    double full = (System.nanoTime() - t0) / 1e6;
    Set<Object> unique = Collections.newSetFromMap(new IdentityHashMap<>());
    long t1 = System.nanoTime();
    long bytes = 0;
    for (XdsResources x : r.resources().values()) {
      for (XdsResources.Type ty : XdsResources.Type.values()) {
        for (XdsResources.Resource res : x.get(ty)) {
          if (unique.add(res.proto())) {
            bytes += Protos.bytes(res.proto()).length;
          }
        }
      }
    }
    double ser = (System.nanoTime() - t1) / 1e6;
    List<Double> ms = new ArrayList<>();
    int translated = 0;
    for (int i = 0; i < changes; i++) {
      m = MeshGenerator.withWeight(m, (i * 37) % p.services(), 1 + i % 99);
      long s = System.nanoTime();
      Translation.Result u = t.apply(m, List.of());
      ms.add((System.nanoTime() - s) / 1e6);
      translated = u.translated();
    }
    return new Timings(full, ser, unique.size(), bytes, ms, translated);
  }

  public static void main(String[] args) {
    MeshGenerator.Profile p = MeshGenerator.Profile.of(args.length > 0 ? args[0] : "M1k");
    Timings t = run(p, args.length > 1 ? Integer.parseInt(args[1]) : 20);
    List<Double> sorted = new ArrayList<>(t.changeMs());
    Collections.sort(sorted);
    System.out.printf("%s: full build %.0f ms, %d unique resources (%.1f MB) serialized in %.0f ms; one weight change: median %.1f ms, max %.1f ms, %d proxies re-translated%n",
        p.name(), t.fullMs(), t.resources(), t.bytes() / 1e6, t.serializeMs(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
        t.lastTranslated());
  }
}
