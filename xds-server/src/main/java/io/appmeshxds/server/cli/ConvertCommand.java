package io.appmeshxds.server.cli;

import io.appmeshxds.server.convert.GatewayApiConverter;
import io.appmeshxds.server.convert.LossReport;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.ManifestBytes;
import io.appmeshxds.translator.input.ManifestLimits;
import io.appmeshxds.translator.input.ManifestLoader;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.model.BuildResult;
import io.appmeshxds.translator.model.ManifestValidation;
import io.appmeshxds.translator.input.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code appmesh-xds convert --to gateway-api PATH... | -}: App Mesh objects as Gateway API objects, with a loss report. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Converts App Mesh objects (files, directories, '-' for stdin, as `kustomize build` prints them) to Gateway API "
          + "objects: HTTPRoute/GRPCRoute per VirtualService with a VirtualRouter (parentRef: its Service, GAMMA), "
          + "Gateway + HTTPRoute/GRPCRoute per VirtualGateway and GatewayRoute, BackendTLSPolicy (v1alpha3) for client "
          + "TLS validation, ReferenceGrants for cross-namespace backends. Offline: reads files only.",
      "A loss report says, per App Mesh object and field, what was carried exactly, approximated (what differs) or "
          + "dropped (why). See docs/gateway-api.md.",
      "Exit codes: 0 everything exact, 1 the input has errors (as validate prints them; nothing written), "
          + "2 usage or I/O error, 3 something approximated or dropped."
    })
final class ConvertCommand implements Callable<Integer> {

  enum ReportFormat {
    text,
    json
  }

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories; '-' reads stdin.")
  List<String> paths;

  @Option(names = "--to", required = true, paramLabel = "TARGET", description = "What to convert to: gateway-api (the only target).")
  String to;

  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "Write one file per object, <kind>-<namespace>-<name>.yaml, into DIR (created if missing) instead of stdout.")
  Path outputDir;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the loss report to FILE instead of stderr.")
  Path reportFile;

  @Option(names = "--report-format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  ReportFormat reportFormat;

  @Option(names = "--gateway-class", defaultValue = "appmesh-xds", paramLabel = "NAME",
      description = "gatewayClassName of the Gateways written for VirtualGateways (default: ${DEFAULT-VALUE}).")
  String gatewayClass;

  @Option(names = "--max-manifest-bytes", paramLabel = "BYTES", defaultValue = "32Mi", converter = ByteCountConverter.class,
      description = "Refuse a manifest file (or stdin) larger than this, unread (default: ${DEFAULT-VALUE}).")
  long maxManifestBytes;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  InputStream stdin = System.in;

  private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES).enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!"gateway-api".equals(to)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--to " + to + ": the only target is gateway-api");
    }
    if (gatewayClass.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--gateway-class must not be empty");
    }
    ManifestLoader loader = new ManifestLoader(new ManifestLimits(maxManifestBytes));
    List<LoadResult> parts = new ArrayList<>();
    for (String p : paths) {
      if (p.equals("-")) {
        try {
          parts.add(loader.loadBytes("-", ManifestFiles.read(stdin, "-", loader.limits())));
        } catch (ManifestBytes.Refused e) {
          err.println("error: " + e.getMessage());
          err.flush();
          return 2;
        }
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
    var builder = io.appmeshxds.server.Pipelines.standard().modelBuilder();
    List<Problem> errors = ManifestValidation.problems(load, builder).stream()
        .filter(p -> p.isError() && !p.isUnsupported()).toList();
    if (!errors.isEmpty()) {
      errors.forEach(p -> err.println(p.toLine()));
      err.println(errors.size() + " error(s): nothing converted (appmesh-xds validate shows every problem)");
      err.flush();
      return 1;
    }
    BuildResult built = builder.build(MeshResources.of(load));
    GatewayApiConverter.Result result = GatewayApiConverter.convert(built.model(), gatewayClass);
    if (outputDir != null) {
      Files.createDirectories(outputDir);
      for (Map<String, Object> doc : result.documents()) {
        Files.writeString(outputDir.resolve(fileName(doc)), YAML.writeValueAsString(doc), StandardCharsets.UTF_8);
      }
    } else {
      out.print(yaml(result.documents()));
    }
    String report = reportFormat == ReportFormat.json ? json(result.report()) : text(result.report());
    if (reportFile != null) {
      Files.writeString(reportFile, report, StandardCharsets.UTF_8);
    } else {
      err.print(report);
    }
    Map<LossReport.Outcome, Long> n = result.report().counts();
    err.println(result.documents().size() + " object(s) written; " + n.get(LossReport.Outcome.exact) + " exact, "
        + n.get(LossReport.Outcome.approximated) + " approximated, " + n.get(LossReport.Outcome.dropped) + " dropped");
    out.flush();
    err.flush();
    return result.report().lossy() ? 3 : 0;
  }

  /** Documents as one YAML stream, separated by {@code ---}. */
  static String yaml(List<Map<String, Object>> docs) {
    StringWriter w = new StringWriter();
    for (int i = 0; i < docs.size(); i++) {
      if (i > 0) {
        w.write("---\n");
      }
      w.write(YAML.writeValueAsString(docs.get(i)));
    }
    return w.toString();
  }

  @SuppressWarnings("unchecked")
  static String fileName(Map<String, Object> doc) {
    Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
    return (String.valueOf(doc.get("kind")).toLowerCase(java.util.Locale.ROOT) + "-" + meta.get("namespace") + "-"
        + meta.get("name") + ".yaml").replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String text(LossReport r) {
    StringBuilder b = new StringBuilder();
    r.entries().forEach(e -> b.append(e.toLine()).append('\n'));
    return b.toString();
  }

  static String json(LossReport r) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (LossReport.Entry e : r.entries()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("object", e.object());
      row.put("field", e.field());
      row.put("outcome", e.outcome().name());
      row.put("detail", e.detail());
      rows.add(row);
    }
    return JsonMapper.shared().writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n";
  }
}
