package io.appmeshxds.translator.arch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;

/**
 * The purity rules of the architecture (../shared/design/ARCHITECTURE.md, rule 1: "Same
 * MeshResources in, byte-identical XdsResources out; time and environment come in as parameters"),
 * as ArchUnit rules a module's ArchitectureTest applies to its pure packages. Each rule names what
 * it forbids and why; an exception is a named class with its reason next to the rule that allows it.
 */
public final class Purity {
  private Purity() {}

  /** Files, directories, sockets, the process's streams. */
  public static final DescribedPredicate<JavaClass> IO = describe("do I/O (java.nio.file, java.io files and streams, java.net connections)",
      c -> resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net.http..").test(c)
          || Set.of("java.io.File", "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.FileReader",
              "java.io.FileWriter", "java.io.RandomAccessFile", "java.io.InputStream", "java.io.OutputStream",
              "java.io.Reader", "java.io.Writer", "java.io.PrintStream", "java.io.PrintWriter", "java.io.Console",
              "java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket", "java.net.URL",
              "java.net.URLConnection", "java.net.HttpURLConnection", "java.net.InetAddress")
              .contains(c.getName()));

  /** Threads, executors, atomics, concurrent collections, timers (thread-locals: {@link #noThreadLocals}). */
  public static final DescribedPredicate<JavaClass> CONCURRENCY = describe(
      "are threads or thread-shared state (Thread, java.util.concurrent.., Timer)",
      c -> resideInAPackage("java.util.concurrent..").test(c)
          || Set.of("java.lang.Thread", "java.lang.InheritableThreadLocal", "java.lang.ThreadGroup",
              "java.util.Timer", "java.util.TimerTask").contains(c.getName()));

  private static final DescribedPredicate<JavaMethodCall> READS_THE_CLOCK = describe(
      "read the clock (System.currentTimeMillis/nanoTime, java.time's now(), Clock.system*)",
      call -> {
        String owner = call.getTargetOwner().getName();
        String name = call.getName();
        return owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
            || owner.startsWith("java.time.") && name.equals("now")
            || owner.equals("java.time.Clock") && name.startsWith("system")
            || owner.equals("java.time.InstantSource") && name.equals("system");
      });

  private static final DescribedPredicate<JavaMethodCall> READS_THE_ENVIRONMENT = describe(
      "read the environment (System.getenv, System.getProperty/getProperties, Runtime)",
      call -> {
        String owner = call.getTargetOwner().getName();
        String name = call.getName();
        return owner.equals("java.lang.System") && (name.equals("getenv") || name.startsWith("getPropert"))
            || owner.equals("java.lang.Runtime")
            || owner.equals("java.lang.ProcessBuilder");
      });

  private static final DescribedPredicate<JavaFieldAccess> USES_STANDARD_STREAMS = describe(
      "use System.in/out/err", a -> a.getTargetOwner().getName().equals("java.lang.System")
          && Set.of("in", "out", "err").contains(a.getName()));

  private static final DescribedPredicate<JavaMethodCall> RUNS_IN_PARALLEL = describe(
      "run streams in parallel", call -> (call.getName().equals("parallel") || call.getName().equals("parallelStream"))
          && call.getTargetOwner().getPackageName().startsWith("java.util"));

  /** No I/O in {@code packages}, except in the classes named (the module's I/O edge). */
  public static ArchRule noIo(String[] packages, String... edges) {
    return noClasses().that().resideInAnyPackage(packages).and(notNamed(edges))
        .should().dependOnClassesThat(IO)
        .because("translation is a function of its inputs; reading them is the edge's job"
            + (edges.length == 0 ? "" : " (" + String.join(", ", edges) + ")"));
  }

  /** No clock. */
  public static ArchRule noClock(String... packages) {
    return noClasses().that().resideInAnyPackage(packages)
        .should().callMethodWhere(READS_THE_CLOCK)
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
        .because("time comes in as a parameter (ARCHITECTURE.md rule 1), so equal inputs give equal output");
  }

  /** No environment variables, system properties, processes or standard streams. */
  public static ArchRule noEnvironment(String... packages) {
    return noClasses().that().resideInAnyPackage(packages)
        .should().callMethodWhere(READS_THE_ENVIRONMENT)
        .orShould().accessFieldWhere(USES_STANDARD_STREAMS)
        .because("the environment comes in as parameters (ARCHITECTURE.md rule 1)");
  }

  /**
   * No threads and no state shared between calls or threads, except in the classes named: caches
   * that memoize a pure function of immutable values (each says so where it is declared).
   */
  public static ArchRule noThreads(String[] packages, String... memoCaches) {
    return noClasses().that().resideInAnyPackage(packages).and(notNamed(memoCaches))
        .should().dependOnClassesThat(CONCURRENCY)
        .orShould().callMethodWhere(RUNS_IN_PARALLEL)
        .because("one caller owns a translation; a concurrent type means a thread or state that outlives a call");
  }

  /** No thread-locals, except in the classes named (each with its reason next to the rule). */
  public static ArchRule noThreadLocals(String[] packages, String... allowed) {
    return noClasses().that().resideInAnyPackage(packages).and(notNamed(allowed))
        .should().dependOnClassesThat().areAssignableTo(ThreadLocal.class)
        .because("a thread-local is state hidden from the caller");
  }

  /** Not the Kubernetes client (the server's sources convert Kubernetes objects to records). */
  public static ArchRule noKubernetesClient(String... packages) {
    return noClasses().that().resideInAnyPackage(packages)
        .should().dependOnClassesThat(resideInAPackage("io.fabric8..")
            .and(DescribedPredicate.not(resideInAPackage("io.fabric8.generator.annotation.."))))
        .because("CRD classes from Kubernetes are converted to records at the boundary (ARCHITECTURE.md rule 7);"
            + " only fabric8's constraint annotations, shared with the CRD generator, are allowed");
  }

  /** Not gRPC, Netty, java-control-plane's server and cache, or AWS. */
  public static ArchRule noServer(String... packages) {
    return noClasses().that().resideInAnyPackage(packages)
        .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.netty..",
            "io.envoyproxy.controlplane.server..", "io.envoyproxy.controlplane.cache..", "software.amazon..")
        .because("serving, caching and AWS calls live in xds-server");
  }

  /** Envoy's generated API (and the validate options) only in the given xDS-stage packages. */
  public static ArchRule envoyProtosOnlyIn(String[] packages, String... xdsStage) {
    return noClasses().that().resideInAnyPackage(packages).and().resideOutsideOfPackages(xdsStage)
        .should().dependOnClassesThat().resideInAnyPackage("io.envoyproxy.envoy..", "io.envoyproxy.pgv..",
            "com.github.xds..", "com.github.udpa..")
        .because("Envoy protos stay in the xDS stage (ARCHITECTURE.md rule 7): model and plan are records");
  }

  private static DescribedPredicate<JavaClass> notNamed(String... names) {
    Set<String> set = Set.of(names);
    return describe(names.length == 0 ? "are any class" : "are not " + String.join(", ", names),
        c -> !set.contains(c.getName()) && !set.contains(c.getName().replaceFirst("\\$.*", "")));
  }
}
