package io.appmeshxds.server.cli;

import io.appmeshxds.tracing.config.ControlPlaneConfig;
import io.appmeshxds.tracing.logs.AccessLogExport;
import io.appmeshxds.server.admin.AdminServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code appmesh-xds export-logs}: only the access-log exporter (the same code {@code serve} runs). */
@Command(
    name = "export-logs",
    mixinStandardHelpOptions = true,
    description = {
      "Runs only the access-log exporter: receives Envoy's gRPC access log stream (ALS) and ships it to CloudWatch Logs "
          + "as the config's logging.cloudWatch says (region, endpoint, logGroup, retentionDays, bufferDir, diskBudgetMb). "
          + "On SIGTERM/SIGINT it stops accepting streams, sends what it can within --flush-timeout, keeps the rest in the "
          + "disk buffer for the next start, and exits.",
      "It serves /metrics (Prometheus: appmeshxds_accesslogs_*), /healthz and /ready on --admin-listen.",
      "Exit codes: 0 clean shutdown, 2 bad usage (including a buffer directory or address that cannot be used)."
    })
final class ExportLogsCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Config file (YAML).")
  Path config;

  @Option(names = "--listen", defaultValue = "127.0.0.1:18001", paramLabel = "ADDR:PORT",
      description = "Where proxies connect (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--buffer-dir", paramLabel = "DIR",
      description = "Disk buffer directory (default: logging.cloudWatch.bufferDir, else <tmpdir>/appmesh-xds-access-logs).")
  Path bufferDir;

  @Option(names = "--admin-listen", defaultValue = "127.0.0.1:9091", paramLabel = "ADDR:PORT",
      description = "Where /metrics, /healthz and /ready are served (default: ${DEFAULT-VALUE}; port 0 picks one).")
  String adminListen;

  @Option(names = "--flush-timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "How long shutdown may spend sending what is queued (default: ${DEFAULT-VALUE}).")
  int flushSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int port;
  private volatile int adminPort;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = parseListen(spec, "--listen", listen);
    InetSocketAddress adminAddress = parseListen(spec, "--admin-listen", adminListen);
    ControlPlaneConfig cfg = ConfigFile.load(spec, config);
    ControlPlaneConfig.CloudWatch cw = cfg.logging().cloudWatch();
    PrintWriter out = spec.commandLine().getOut();
    Path dir = AccessLogExport.bufferDir(cw, bufferDir);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AccessLogExport export;
    try {
      export = AccessLogExport.start(cw, address, dir, registry);
    } catch (java.io.IOException e) {
      // One line, no stack trace: the buffer directory (refused, in use) or the address (taken).
      spec.commandLine().getErr().println("export-logs: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    AdminServer admin;
    try {
      // Probes and metrics only: the exporter has no configuration views.
      admin = new AdminServer(adminAddress, () -> true, registry::scrape, null, null,
          AdminServer.Options.defaults().withRegistry(registry)).start();
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("export-logs: --admin-listen " + adminListen + ": " + e.getMessage());
      spec.commandLine().getErr().flush();
      export.close(java.time.Duration.ZERO);
      return 2;
    }
    port = export.port();
    adminPort = admin.port();
    out.println("appmesh-xds export-logs: gRPC access log service on " + address.getHostString() + ":" + port);
    out.println("  metrics:         http://" + adminAddress.getHostString() + ":" + adminPort + "/metrics (/healthz /ready)");
    out.println("  CloudWatch Logs: region " + cw.region() + (cw.endpoint().isEmpty() ? "" : ", endpoint " + cw.endpoint())
        + ", log group " + cw.logGroup() + (cw.retentionDays() > 0 ? ", retention " + cw.retentionDays() + " days" : ""));
    out.println("  disk buffer:     " + dir + " (budget " + cw.diskBudgetMb() + " MiB)");
    if (!cw.enabled()) {
      out.println("  note: logging.cloudWatch.enabled is false in " + config + ": `serve` will not point proxies here");
    }
    out.println("  Ctrl-C stops it.");
    out.flush();
    // Why signal handlers: with only a shutdown hook, SIGTERM ends the JVM with status 143; handling
    // TERM and INT lets call() flush and return 0, as the CLI contract says. The hook stays for
    // other ways of stopping (it waits for the flush).
    java.util.Map<String, sun.misc.SignalHandler> previous = new java.util.HashMap<>();
    trap("TERM", previous);
    trap("INT", previous);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "export-logs-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
      boolean drained = export.close(Duration.ofSeconds(flushSeconds));
      admin.close();
      out.println("export-logs stopped: " + export.exporter().metrics()
          + (drained ? "" : "; the rest stays in " + dir + " for the next start"));
      out.flush();
    } finally {
      previous.forEach((sig, h) -> sun.misc.Signal.handle(new sun.misc.Signal(sig), h));
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    return 0;
  }

  private void trap(String signal, java.util.Map<String, sun.misc.SignalHandler> previous) {
    try {
      previous.put(signal, sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> stop.countDown()));
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // not available here: the shutdown hook still flushes
    }
  }

  /** Ends {@link #call()} as a shutdown signal would (tests). */
  void stop() throws InterruptedException {
    stop.countDown();
    stopped.await();
  }

  /** The bound admin (metrics) port, once listening (tests). */
  int adminPort() {
    return adminPort;
  }

  /** The bound port, once listening (tests). */
  int port() {
    return port;
  }

  static InetSocketAddress parseListen(CommandLine.Model.CommandSpec spec, String option, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": expected ADDR:PORT, got " + value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int p;
    try {
      p = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": bad port in " + value);
    }
    return new InetSocketAddress(host, p);
  }
}
