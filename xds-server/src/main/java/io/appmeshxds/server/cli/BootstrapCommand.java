package io.appmeshxds.server.cli;

import io.appmeshxds.translator.xds.BootstrapFactory;
import io.appmeshxds.translator.xds.XdsJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
    return 0;
  }
}
