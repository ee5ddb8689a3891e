package io.appmeshxds.translator.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The loader's edge to the file system: reads manifest files, directories (recursive, {@code
 * *.yaml|*.yml|*.json}, in path order, hidden entries skipped) and streams (stdin), and hands their
 * text to a {@link ManifestLoader}, which is pure.
 *
 * <p>Why one class: mesh-translator does no I/O but this, so that translation stays a function of
 * its inputs; ArchitectureTest lets no other class of the module use {@code java.nio.file} or
 * {@code java.io} streams.
 */
public final class ManifestFiles {
  private ManifestFiles() {}

  /** Reads every path (directories recursively) with the default limits. */
  public static LoadResult load(List<Path> paths) {
    return load(new ManifestLoader(), paths);
  }

  /** Reads every path (directories recursively) with {@code loader}'s limits and rules. */
  public static LoadResult load(ManifestLoader loader, List<Path> paths) {
    ManifestLoader.Sink sink = new ManifestLoader.Sink();
    for (Path p : paths) {
      sink.inputs.add(p.toString());
      if (!Files.exists(p)) {
        sink.ioErrors.add(p + ": no such file or directory");
        continue;
      }
      for (Path f : list(p, sink)) {
        try {
          sink.files++;
          String text = ManifestBytes.decode(f.toString(), read(f, loader.limits()));
          loader.readText(f.toString(), text, isJsonName(f), sink);
        } catch (ManifestBytes.Refused e) {
          sink.ioErrors.add(e.getMessage());
        } catch (IOException | UncheckedIOException e) {
          sink.ioErrors.add(f + ": " + e.getMessage());
        }
      }
    }
    return sink.result();
  }

  /** The manifest files under a path, sorted; a file given by name is read whatever its extension. */
  public static List<Path> list(Path p) {
    return list(p, new ManifestLoader.Sink());
  }

  /**
   * At most the limit's bytes from {@code in} (e.g. stdin, {@code location} "-"); refused (without
   * reading on) when there are more. Give the bytes to {@link ManifestLoader#loadBytes}.
   */
  public static byte[] read(InputStream in, String location, ManifestLimits limits)
      throws IOException, ManifestBytes.Refused {
    int cap = (int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileBytes() + 1);
    byte[] b = in.readNBytes(cap);
    if (b.length > limits.maxFileBytes()) {
      throw new ManifestBytes.Refused(location + ": more than " + ManifestBytes.size(limits.maxFileBytes())
          + ", the limit for one manifest file (--max-manifest-bytes); not read");
    }
    return b;
  }

  /**
   * The bytes of {@code f}, or why not: larger than the limit (checked before reading, and again
   * while reading, so a file that grows meanwhile is not held whole).
   */
  static byte[] read(Path f, ManifestLimits limits) throws IOException, ManifestBytes.Refused {
    ManifestBytes.checkSize(f.toString(), Files.size(f), limits);
    try (InputStream in = Files.newInputStream(f)) {
      return read(in, f.toString(), limits);
    }
  }

  private static List<Path> list(Path p, ManifestLoader.Sink sink) {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> walk = Files.walk(p)) {
      List<Path> all = walk.filter(f -> !hiddenBelow(p, f)).sorted().toList();
      all.stream().filter(Files::isSymbolicLink).forEach(l -> unfollowedLink(l, sink));
      List<Path> files = all.stream().filter(Files::isRegularFile).toList();
      files.stream().filter(ManifestFiles::isTemplateName).forEach(f -> sink.templates.add(f.toString()));
      return files.stream().filter(ManifestFiles::isManifestName).toList();
    } catch (IOException | UncheckedIOException e) {
      sink.ioErrors.add(p + ": " + e.getMessage());
      return List.of();
    }
  }

  /**
   * A warning for a symbolic link that is not read: a loop, a dangling link, or a link to a
   * directory (not followed, so a loop through directories cannot make the walk endless). A link
   * to a regular file is read like the file (Kubernetes mounts ConfigMaps that way).
   */
  private static void unfollowedLink(Path link, ManifestLoader.Sink sink) {
    if (Files.isRegularFile(link)) {
      return;
    }
    String why;
    try {
      Path target = link.toRealPath();
      if (!Files.isDirectory(target)) {
        return;
      }
      why = "symbolic link to a directory (" + target + "), not followed; name the directory itself to read it";
    } catch (java.nio.file.NoSuchFileException e) {
      why = "dangling symbolic link (its target does not exist), skipped";
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      why = m.contains("Too many levels of symbolic links") || m.contains("ELOOP")
          ? "symbolic link loop, skipped" : "symbolic link that cannot be resolved (" + m + "), skipped";
    }
    sink.problems.add(new Problem(Severity.WARNING, Reason.MalformedInput, null, "", why,
        new SourceRef(link.toString(), 0, false)));
  }

  private static boolean hiddenBelow(Path root, Path f) {
    for (Path part : root.relativize(f)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isManifestName(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  /** {@code *.yaml.template} and the like: meant for envsubst, not for kubectl. */
  private static boolean isTemplateName(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml.template") || n.endsWith(".yml.template") || n.endsWith(".json.template");
  }

  private static boolean isJsonName(Path f) {
    return f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }
}
