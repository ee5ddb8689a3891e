package io.appmeshxds.translator.archplanted.purity;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.github.xds.core.v3.ResourceName;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.pgv.validate.Validate;
import io.grpc.ManagedChannel;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Planted (never run): a class in mesh-translator's packages that breaks each purity rule of its
 * ArchitectureTest, each in a member named for what it does; ArchitectureRulesCatchViolationsTest
 * shows each rule reports it. Not imported by ArchitectureTest (a test source).
 */
public final class TranslatorIsImpure {
  private TranslatorIsImpure() {}

  /** static_fields_are_final. */
  static int translations;

  /** only_reads_holds_a_thread_local. */
  static final ThreadLocal<String> SCOPE = new ThreadLocal<>();

  /** envoy_protos_only_in_xds: Envoy's API, the validate options, xds and udpa types. */
  Cluster cluster;
  Validate.FieldRules fieldRules;
  ResourceName resourceName;
  TypedStruct typedStruct;

  /** no_server: gRPC and java-control-plane's cache (the rest is planted in xds-server's tests). */
  ManagedChannel channel;
  SimpleCache<String> cache;

  /** no_io_outside_the_loader_edge. */
  static String readsAFile(Path path) throws IOException {
    return Files.readString(path);
  }

  static int readsAStream() throws IOException {
    try (FileInputStream in = new FileInputStream("manifest.yaml")) {
      return in.read();
    }
  }

  static void opensASocket() throws IOException {
    new Socket().close();
  }

  /** no_clock. */
  static long readsTheClock() {
    return System.currentTimeMillis() + System.nanoTime() + Instant.now().getNano()
        + Clock.systemUTC().millis() + InstantSource.system().millis();
  }

  /** no_environment. */
  static String readsTheEnvironment() {
    System.out.println("translating");
    return System.getenv("HOME") + System.getProperty("user.dir") + Runtime.getRuntime().availableProcessors();
  }

  static Process startsAProcess() throws IOException {
    return new ProcessBuilder("true").start();
  }

  /** no_threads_or_shared_state_but_memo_caches. */
  static Map<String, String> sharesState() {
    return new ConcurrentHashMap<>();
  }

  static void startsAThread() {
    new Thread(() -> translations++).start();
  }

  static long runsInParallel(List<String> names) {
    return names.parallelStream().count();
  }
}
