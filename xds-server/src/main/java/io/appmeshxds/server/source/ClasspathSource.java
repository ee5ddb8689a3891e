package io.appmeshxds.server.source;

import io.appmeshxds.server.reconcile.ResourceStore;
import io.appmeshxds.translator.input.FlaggerObjects;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.LoadedObject;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The example mesh bundled in the jar, for {@code serve} without sources outside the repository. */
public final class ClasspathSource {
  private ClasspathSource() {}

  /** Files of the bundled example, in load order. */
  public static final List<String> EXAMPLE = List.of("namespaces.yaml", "mesh.yaml", "gateway.yaml", "loadtester.yaml",
      "podinfo.yaml", "services.yaml", "endpointslices.yaml", "canary.yaml");

  public static void load(ResourceStore store) throws IOException {
    store.register("bundled");
    ManifestLoader loader = new ManifestLoader();
    List<LoadResult> all = new ArrayList<>();
    for (String name : EXAMPLE) {
      try (InputStream in = ClasspathSource.class.getResourceAsStream("/examples/podinfo/" + name)) {
        if (in == null) {
          throw new IOException("bundled example file missing from the jar: " + name);
        }
        LoadResult r = loader.loadText("bundled:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        Map<ObjectRef, ResourceStore.Entry> objects = new LinkedHashMap<>();
        for (LoadedObject o : r.objects()) {
          objects.put(o.ref(), new ResourceStore.Entry(o.object(), o.source()));
        }
        store.replace("bundled:" + name, objects, r.problems());
        all.add(r);
      }
    }
    // As ManifestSource does: what Flagger creates from the Canary, served where no file has it.
    FlaggerObjects.Derived d = FlaggerObjects.derive(LoadResult.merge(all));
    Map<ObjectRef, ResourceStore.Entry> derived = new LinkedHashMap<>();
    d.objects().forEach(o -> derived.putIfAbsent(o.ref(), new ResourceStore.Entry(o.object(), o.source())));
    store.replace("bundled:flagger", derived, d.problems());
    store.markSynced("bundled");
  }
}
