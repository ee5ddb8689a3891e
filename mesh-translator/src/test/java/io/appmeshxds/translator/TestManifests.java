package io.appmeshxds.translator;

import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test helpers: load manifests from the classpath or from text. */
public final class TestManifests {
  private TestManifests() {}

  /** Text of a classpath resource. */
  public static String resource(String name) {
    try (InputStream in = TestManifests.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LoadResult load(String location, String text) {
    return new ManifestLoader().loadText(location, text);
  }

  public static MeshResources resources(String text) {
    return MeshResources.of(load("test.yaml", text));
  }
}
