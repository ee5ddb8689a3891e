package io.appmeshxds.server.cli;

import io.appmeshxds.server.Pipelines;
import io.appmeshxds.server.inject.InjectionSettings;
import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.server.inject.Outcome;
import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.translator.input.ManifestFiles;
import io.appmeshxds.translator.input.LoadResult;
import io.appmeshxds.translator.input.MeshResources;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code appmesh-xds inject}: the admission webhook's mutation, offline, like {@code istioctl kube-inject}. */
@Command(
    name = "inject",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every input document as YAML, with the pods of Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets,",
      "Jobs and CronJobs mutated as the injection webhook of `serve --kubernetes` would mutate them at creation.",
      "The mesh (Namespaces, App Mesh objects) comes from --manifests and from the input itself; a namespace missing",
      "from both is taken as labelled for injection without a default (a pod is injected when a node selects it).",
      "Exit codes: 0, 1 when a pod would be refused (reported on stderr, printed unchanged), 2 bad usage or unreadable input."
    })
final class InjectCommand implements Callable<Integer> {
  static final List<String> TEMPLATE_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "Manifests to inject (repeatable); - reads stdin.")
  List<String> files;

  @Option(names = "--manifests", paramLabel = "PATH", description = "The mesh: manifest files or directories (repeatable).")
  List<Path> manifests = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "Config file: its injection (and tracing) sections, as serve uses them.")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build();

  /** One input document and where it came from. */
  record Doc(String source, JsonNode node) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ControlPlaneConfig cfg = ConfigFile.load(spec, config);
    List<Doc> docs = new ArrayList<>();
    List<Path> mesh = new ArrayList<>(manifests);
    Path stdinCopy = null;
    for (String f : files) {
      Path p;
      if (f.equals("-")) {
        stdinCopy = Files.createTempFile("appmesh-xds-inject", ".yaml");
        Files.write(stdinCopy, System.in.readAllBytes());
        p = stdinCopy;
      } else {
        p = Path.of(f);
        if (!Files.exists(p)) {
          throw new CommandLine.ParameterException(spec.commandLine(), "-f " + f + ": no such file or directory");
        }
      }
      for (Path file : ManifestFiles.list(p)) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int i = 0;
        for (String part : text.split("(?m)^---\\s*$")) {
          JsonNode n = part.isBlank() ? null : YAML.readTree(part);
          if (n != null && n.isObject()) {
            docs.add(new Doc((f.equals("-") ? "-" : file.toString()) + ":" + i, n));
          }
          i++;
        }
      }
      mesh.add(p);
    }
    try {
      LoadResult load = ManifestFiles.load(mesh);
      if (!load.ioErrors().isEmpty()) {
        load.ioErrors().forEach(e -> err.println("error: " + e));
        err.flush();
        return 2;
      }
      MeshView view = MeshView.of(Pipelines.standard(cfg).modelBuilder().build(MeshResources.of(load)));
      Injector injector = new Injector(InjectionSettings.of(cfg));
      int refused = 0;
      boolean first = true;
      for (Doc d : docs) {
        String problem = inject(d.node(), injector, view);
        if (problem != null) {
          refused++;
          err.println(d.source() + ": " + problem);
        }
        if (!first) {
          out.println("---");
        }
        first = false;
        out.print(YAML.writeValueAsString(d.node()));
      }
      out.flush();
      err.flush();
      return refused == 0 ? 0 : 1;
    } finally {
      if (stdinCopy != null) {
        Files.deleteIfExists(stdinCopy);
      }
    }
  }

  /** Mutates a document in place; returns a refusal line, or null. */
  static String inject(JsonNode doc, Injector injector, MeshView view) {
    String kind = doc.path("kind").asString("");
    String namespace = doc.path("metadata").path("namespace").asString("default");
    String name = doc.path("metadata").path("name").asString("");
    ObjectNode holder;
    if (kind.equals("Pod")) {
      holder = (ObjectNode) doc;
    } else if (TEMPLATE_KINDS.contains(kind) && doc.path("spec").path("template").isObject()) {
      holder = (ObjectNode) doc.path("spec").path("template");
    } else if (kind.equals("CronJob") && doc.path("spec").path("jobTemplate").path("spec").path("template").isObject()) {
      holder = (ObjectNode) doc.path("spec").path("jobTemplate").path("spec").path("template");
    } else {
      return null;
    }
    Pod pod = new Pod();
    ObjectMeta meta = holder.has("metadata") ? SERIALIZATION.convertValue(holder.get("metadata"), ObjectMeta.class) : new ObjectMeta();
    if (meta.getName() == null && meta.getGenerateName() == null) {
      meta.setName(name);
    }
    pod.setMetadata(meta);
    pod.setSpec(SERIALIZATION.convertValue(holder.get("spec"), PodSpec.class));
    Outcome o = injector.inject(pod, namespace, view);
    if (o.result() == Outcome.Result.REFUSED) {
      return kind + " " + namespace + "/" + name + ": refused: " + o.message();
    }
    if (o.pod() != pod) {
      JsonNode mutated = YAML.readTree(SERIALIZATION.asJson(o.pod()));
      if (!kind.equals("Pod")) {
        ObjectNode m = (ObjectNode) mutated.path("metadata");
        if (!holder.path("metadata").has("name")) {
          m.remove("name"); // only there to name the pod in messages
        }
        holder.set("metadata", m);
        holder.set("spec", mutated.path("spec"));
      } else {
        holder.set("metadata", mutated.path("metadata"));
        holder.set("spec", mutated.path("spec"));
      }
    }
    return null;
  }

}
