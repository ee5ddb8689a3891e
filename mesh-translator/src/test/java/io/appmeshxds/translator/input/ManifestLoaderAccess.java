package io.appmeshxds.translator.input;

import java.util.List;

/** Test access to package-private loader helpers. */
public final class ManifestLoaderAccess {
  private ManifestLoaderAccess() {}

  public static List<String> split(String text) {
    return ManifestLoader.splitDocuments(text);
  }
}
