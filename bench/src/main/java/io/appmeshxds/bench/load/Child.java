package io.appmeshxds.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The driver side of one child JVM: started from this jar with a main class, stderr to a log file,
 * commands written to its stdin, replies read from its stdout with a timeout for every command.
 */
public final class Child implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Writer in;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Path log;
  private int ids;

  private Child(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith(CommandLoop.PREFIX)) {
            replies.add(line.substring(CommandLoop.PREFIX.length()));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      replies.add("err " + name + " exited");
    }, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code mainClass} from the running jar (or class path) in a new JVM. */
  public static Child start(String name, String mainClass, List<String> jvmArgs, Path logFile)
      throws IOException, InterruptedException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    java.nio.file.Files.createDirectories(logFile.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(logFile.toFile());
    Child c = new Child(name, pb.start(), logFile);
    c.await(null, 60_000); // the "ready" line
    return c;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /**
   * Sends a command and waits for its reply; {@code err} replies and timeouts throw. Each command
   * carries an id, so a late reply to a command that timed out is never taken for the next one's.
   */
  public Msg call(Msg command, long timeoutMillis) throws IOException, InterruptedException {
    String id = Integer.toString(++ids);
    in.write(command.put("id", id) + "\n");
    in.flush();
    return await(id, timeoutMillis);
  }

  private Msg await(String id, long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      long left = end - System.nanoTime();
      String line = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new IllegalStateException(name + " did not answer within " + timeoutMillis + " ms (log: " + log + ")");
      }
      if (line.equals("err " + name + " exited")) {
        throw new IllegalStateException(name + " exited (log: " + log + ")");
      }
      String[] words = line.split("\\s+");
      boolean mine = id == null || java.util.Arrays.asList(words).contains("id=" + id);
      if (!mine) {
        continue; // a late reply to an earlier command
      }
      if (line.startsWith("err")) {
        throw new IllegalStateException(name + ": " + line + " (log: " + log + ")");
      }
      return Msg.parse(line);
    }
  }

  /** Asks the child to exit (closing stdin), then kills it if it does not within a few seconds. */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
