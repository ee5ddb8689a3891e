package io.appmeshxds.server.cli;

import io.appmeshxds.translator.plan.NodeKey;
import io.appmeshxds.translator.xds.BootstrapFactory;
import io.appmeshxds.translator.xds.XdsJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code appmesh-xds bootstrap}: prints an Envoy bootstrap for a sidecar or gateway. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description = {
      "Prints an Envoy bootstrap (v3) for a sidecar or a gateway: ADS to this control plane, admin on --admin-port,",
      "Prometheus stats with Envoy's default tags (what Flagger's queries use) and App Mesh's appmesh.* tags.",
      "Use it as Envoy's -c file, or as ENVOY_CONFIG_FILE for the aws-appmesh-envoy image. Exit codes: 0, 2 bad usage."
    })
final class BootstrapCommand implements Callable<Integer> {

  enum Format {
    yaml,
    json
  }

  @Option(names = "--node", required = true, paramLabel = "NODE_ID",
      description = "mesh/<mesh>/virtualNode/<name> or mesh/<mesh>/virtualGateway/<name> (or the ARN form).")
  String node;

  @Option(names = "--xds-address", required = true, paramLabel = "HOST:PORT", description = "The control plane's xDS address.")
  String xds;

  @Option(names = "--admin-port", defaultValue = "9901", description = "Envoy admin port (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--output", defaultValue = "yaml", description = "yaml or json (default: ${DEFAULT-VALUE}).")
  Format output;

  @Option(names = "--xds-tls", description = "Connect to the control plane over TLS; needs --xds-ca. Envoy verifies the "
      + "control plane's certificate against the CA and its DNS SAN against --xds-sni (default: the host of --xds-address).")
  boolean tls;

  @Option(names = "--xds-ca", paramLabel = "FILE", description = "With --xds-tls (required): CA bundle, as a path in the "
      + "Envoy container, that verifies the control plane.")
  String ca;

  @Option(names = "--xds-cert", paramLabel = "FILE", description = "With --xds-tls: client certificate (mTLS).")
  String cert;

  @Option(names = "--xds-key", paramLabel = "FILE", description = "With --xds-tls: client private key (mTLS).")
  String key;

  @Option(names = "--xds-sni", paramLabel = "NAME", description = "With --xds-tls: server name to send and to find among the "
      + "control plane certificate's DNS SANs (default: the host of --xds-address).")
  String sni;

  @Option(names = "--sds-socket", paramLabel = "PATH",
      description = "Node-local SDS (e.g. SPIRE agent) socket, for VirtualNodes whose TLS uses sds secrets.")
  String sdsSocket;

  @Option(names = "--manifests", paramLabel = "PATH",
      description = "Warn (stderr) when no accepted VirtualNode or VirtualGateway of these manifests has this node id, with "
          + "the closest ones (repeatable).")
  List<Path> manifests = new ArrayList<>();

  @Option(names = "--server", paramLabel = "URL",
      description = "Warn (stderr) when the control plane at this admin URL (e.g. http://127.0.0.1:9090) serves nothing "
          + "for this node id, with the closest ids it serves.")
  java.net.URI server;

  @Option(names = "--server-token-file", paramLabel = "FILE", description = "With --server: the admin token.")
  Path serverTokenFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    int colon = xds.lastIndexOf(':');
    if (colon <= 0 || colon == xds.length() - 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-address must be HOST:PORT, got " + xds);
    }
    int port;
    try {
      port = Integer.parseInt(xds.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-address port is not a number: " + xds);
    }
    if (!tls && (ca != null || cert != null || key != null || sni != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-ca/--xds-cert/--xds-key/--xds-sni need --xds-tls");
    }
    if (tls && (ca == null || ca.isBlank())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-tls needs --xds-ca: the CA bundle that verifies the "
          + "control plane (without it Envoy would accept any server)");
    }
    if ((cert == null) != (key == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--xds-cert and --xds-key go together");
    }
    String host = xds.substring(0, colon).replaceAll("^\\[|\\]$", "");
    BootstrapFactory.XdsTls t = tls ? new BootstrapFactory.XdsTls(ca, cert, key, sni) : null;
    io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap bootstrap;
    try {
      bootstrap = BootstrapFactory.build(new BootstrapFactory.Settings(node, host, port, adminPort, t, sdsSocket));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--node: " + e.getMessage());
    }
    var tree = new XdsJson().tree(bootstrap);
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(tree.toPrettyString());
    } else {
      out.print(YAMLMapper.builder().disable(YAMLWriteFeature.WRITE_DOC_START_MARKER).build().writeValueAsString(tree));
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    if (!manifests.isEmpty()) {
      checkAgainstManifests(err);
    }
    if (server != null) {
      checkAgainstServer(err);
    }
    err.flush();
    return 0;
  }

  /** A bootstrap for a node nobody serves is valid and useless: its Envoy waits forever. Say so. */
  private void checkAgainstManifests(PrintWriter err) {
    io.appmeshxds.translator.input.LoadResult load = io.appmeshxds.translator.input.ManifestFiles.load(manifests);
    if (!load.ioErrors().isEmpty()) {
      load.ioErrors().forEach(e -> err.println("warning: --manifests: " + e));
      return;
    }
    var model = io.appmeshxds.server.Pipelines.standard().modelBuilder()
        .build(io.appmeshxds.translator.input.MeshResources.of(load)).model();
    NodeKey key = NodeKey.parse(node, null, "envoy", "");
    String canonical = key == null ? node : "mesh/" + key.mesh()
        + (key.kind() == NodeKey.Kind.GATEWAY ? "/virtualGateway/" : "/virtualNode/") + key.name();
    List<String> known = io.appmeshxds.server.status.NodeSuggestions.known(model);
    if (!known.contains(canonical)) {
      List<String> close = io.appmeshxds.server.status.NodeSuggestions.closest(canonical, known);
      err.println("warning: no accepted VirtualNode or VirtualGateway of " + manifests + " has node id " + node
          + ": an Envoy with this bootstrap gets no configuration" + (close.isEmpty() ? "" : "; did you mean "
          + String.join(" or ", close) + "?"));
    }
  }

  private void checkAgainstServer(PrintWriter err) {
    String token = null;
    if (serverTokenFile != null) {
      try {
        token = java.nio.file.Files.readString(serverTokenFile).strip();
      } catch (java.io.IOException e) {
        err.println("warning: --server-token-file " + serverTokenFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        return;
      }
    }
    ServerDump.Reply r = ServerDump.fetch(server, node, token);
    if (r.error() != null) {
      err.println("warning: " + server + " serves nothing for node id " + node + " (" + r.error()
          + "): an Envoy with this bootstrap may get no configuration" + (r.suggestions().isEmpty() ? ""
          : "; did you mean " + String.join(" or ", r.suggestions()) + "?"));
    }
  }
}
