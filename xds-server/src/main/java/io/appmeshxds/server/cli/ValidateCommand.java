package io.appmeshxds.server.cli;

import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestBytes;
import io.appmeshxds.translator.input.ManifestLimits;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.model.ManifestValidation;
import io.appmeshxds.translator.input.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/** {@code appmesh-xds validate PATH... | -}: reports every problem; never contacts a cluster. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Reads manifests (files, directories, '-' for stdin, as `kustomize build` prints them) and reports every problem.",
      "Severities: error (App Mesh rejected it), unsupported (App Mesh accepted it; not served here: e.g. a gateway",
      "route to another account's or cluster's service), warning (accepted and served).",
      "No App Mesh object and no Flagger Canary in the input (empty stdin, only *.yaml.template files) is an error.",
      "Exit codes: 0 valid (warnings at most), 1 errors found, 2 usage or I/O error,",
      "3 unsupported features found but no error."
    })
final class ValidateCommand implements Callable<Integer> {

  enum Output {
    text,
    json
  }

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories; '-' reads stdin.")
  List<String> paths;

  @Option(names = "--output", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--max-manifest-bytes", paramLabel = "BYTES", defaultValue = "32Mi", converter = ByteCountConverter.class,
      description = "Refuse a manifest file (or stdin) larger than this, unread (default: ${DEFAULT-VALUE}; 512Ki, 64Mi, bytes).")
  long maxManifestBytes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ManifestLoader loader = new ManifestLoader(new ManifestLimits(maxManifestBytes));
    List<LoadResult> parts = new ArrayList<>();
    for (String p : paths) {
      if (p.equals("-")) {
        parts.add(readStdin(loader));
      } else {
        parts.add(ManifestFiles.load(loader, List.of(Path.of(p))));
      }
    }
    LoadResult load = LoadResult.merge(parts);
    if (!load.ioErrors().isEmpty()) {
      load.ioErrors().forEach(e -> err.println("error: " + e));
      err.flush();
      return 2;
    }
    List<Problem> problems = ManifestValidation.problems(load, io.appmeshxds.server.Pipelines.standard().modelBuilder());
    if (output == Output.json) {
      List<Map<String, String>> rows = new ArrayList<>();
      for (Problem p : problems) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("source", ManifestValidation.source(p));
        row.put("kind", p.object() == null ? "" : p.object().kind());
        row.put("namespace", p.object() == null || p.object().namespace() == null ? "" : p.object().namespace());
        row.put("name", p.object() == null ? "" : p.object().name());
        row.put("field", p.field());
        row.put("message", p.message());
        row.put("severity", p.severity().lower());
        rows.add(row);
      }
      out.println(JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(rows));
    } else {
      problems.forEach(p -> out.println(p.toLine()));
    }
    long unsupported = problems.stream().filter(Problem::isUnsupported).count();
    long errors = problems.stream().filter(Problem::isError).count() - unsupported;
    long warnings = problems.size() - errors - unsupported;
    long objects = load.objects().size() + load.canaries().size();
    if (!load.read().templates().isEmpty() && load.read().meshDocuments() > 0) {
      err.println("note: " + ManifestValidation.templatesNotRead(load.read()));
    }
    err.println(objects + " object(s) read; " + errors + " error(s), " + warnings + " warning(s)"
        + (unsupported > 0 ? ", " + unsupported + " unsupported" : ""));
    out.flush();
    err.flush();
    return errors > 0 ? 1 : unsupported > 0 ? 3 : 0;
  }

  private LoadResult readStdin(ManifestLoader loader) throws IOException {
    try {
      return loader.loadBytes("-", ManifestFiles.read(stdin, "-", loader.limits()));
    } catch (ManifestBytes.Refused e) {
      return new LoadResult(List.of(), List.of(), List.of(), List.of(), List.of(e.getMessage()), LoadResult.Read.none());
    }
  }
}
