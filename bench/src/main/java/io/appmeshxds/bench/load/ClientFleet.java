package io.appmeshxds.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client process: N simulated Envoys ({@link SimClient}), each on its own HTTP/2 connection to
 * 127.0.0.1 like a real sidecar, driven over the {@link CommandLoop} protocol.
 *
 * <p>Commands: {@code init port= ackDelayMs=}; {@code connect from= to=} (opens those clients at
 * once and returns); {@code status}; {@code mark}; {@code diff} (what each client received since
 * {@code mark}); {@code disconnect from= to=}.
 */
public final class ClientFleet implements AutoCloseable {
  private final List<SimClient> clients = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ack-delay");
    t.setDaemon(true);
    return t;
  });
  private List<SimClient.Counters> marked = List.of();
  private int port;
  private long ackDelayMillis;

  public ClientFleet(int port, long ackDelayMillis) {
    this.port = port;
    this.ackDelayMillis = ackDelayMillis;
  }

  public static void main(String[] args) {
    ClientFleet[] fleet = {null};
    CommandLoop.run(cmd -> switch (cmd.word()) {
      case "init" -> {
        fleet[0] = new ClientFleet((int) cmd.num("port"), cmd.num("ackDelayMs", 0));
        yield ProcStats.ok();
      }
      default -> fleet[0].handle(cmd);
    });
  }

  Msg handle(Msg cmd) throws InterruptedException {
    return switch (cmd.word()) {
      case "connect" -> {
        long t0 = System.nanoTime();
        connect((int) cmd.num("from"), (int) cmd.num("to"));
        yield ProcStats.ok().put("openMs", (System.nanoTime() - t0) / 1e6);
      }
      case "status" -> status();
      case "mark" -> {
        mark();
        yield ProcStats.ok();
      }
      case "diff" -> diff().toMsg();
      case "disconnect" -> {
        disconnect((int) cmd.num("from"), (int) cmd.num("to"));
        yield ProcStats.ok();
      }
      case "mem" -> ProcStats.ok().put("heapAfterGc", ProcStats.liveHeapAfterFullGc()).put("rss", ProcStats.rssBytes());
      default -> throw new IllegalArgumentException("unknown command " + cmd.word());
    };
  }

  /** Opens clients {@code [from, to)}; client j is {@link ClientPlan#nodeId(int)}. */
  public synchronized void connect(int from, int to) {
    while (clients.size() < to) {
      clients.add(null);
      channels.add(null);
    }
    for (int j = from; j < to; j++) {
      if (clients.get(j) != null) {
        continue;
      }
      // One connection per client, as Envoy has; callbacks on the event loop (they are cheap).
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
          .maxInboundMessageSize(64 << 20).build();
      channels.set(j, ch);
      clients.set(j, new SimClient(ClientPlan.nodeId(j), ackDelayMillis, scheduler).start(ch));
    }
  }

  public synchronized void disconnect(int from, int to) throws InterruptedException {
    for (int j = from; j < Math.min(to, clients.size()); j++) {
      if (clients.get(j) != null) {
        clients.get(j).close();
        channels.get(j).shutdownNow();
        clients.set(j, null);
      }
    }
    for (int j = from; j < Math.min(to, channels.size()); j++) {
      ManagedChannel ch = channels.get(j);
      if (ch != null) {
        ch.awaitTermination(5, TimeUnit.SECONDS);
        channels.set(j, null);
      }
    }
  }

  public synchronized List<SimClient> clients() {
    return List.copyOf(clients.stream().filter(c -> c != null).toList());
  }

  synchronized Msg status() {
    int open = 0;
    int complete = 0;
    int failed = 0;
    String firstFailure = null;
    long responses = 0;
    for (SimClient c : clients) {
      if (c == null) {
        continue;
      }
      open++;
      if (c.complete()) {
        complete++;
      }
      if (c.failure() != null) {
        failed++;
        firstFailure = firstFailure == null ? c.failure() : firstFailure;
      }
      responses += c.counters().totalResponses();
    }
    Msg m = ProcStats.ok().put("open", open).put("complete", complete).put("failed", failed).put("responses", responses);
    if (firstFailure != null) {
      m.put("firstFailure", firstFailure.replaceAll("\\s+", "_"));
    }
    return m;
  }

  public synchronized void mark() {
    List<SimClient.Counters> m = new ArrayList<>();
    for (SimClient c : clients) {
      m.add(c == null ? SimClient.Counters.zero() : c.counters());
    }
    marked = m;
  }

  /** What the clients received since {@link #mark()}. */
  public synchronized Diff diff() {
    BitSet receivers = new BitSet();
    long messages = 0;
    long rdsMessages = 0;
    long otherMessages = 0;
    long maxMessages = 0;
    long maxResources = 0;
    long maxBytes = 0;
    long totalBytes = 0;
    long totalResources = 0;
    for (int j = 0; j < clients.size(); j++) {
      SimClient c = clients.get(j);
      if (c == null) {
        continue;
      }
      SimClient.Counters d = c.counters().minus(j < marked.size() ? marked.get(j) : SimClient.Counters.zero());
      long n = d.totalResponses();
      if (n > 0) {
        receivers.set(j);
      }
      messages += n;
      rdsMessages += d.responses()[SimClient.RDS];
      otherMessages += n - d.responses()[SimClient.RDS];
      maxMessages = Math.max(maxMessages, n);
      maxResources = Math.max(maxResources, d.totalResources());
      maxBytes = Math.max(maxBytes, d.totalBytes());
      totalBytes += d.totalBytes();
      totalResources += d.totalResources();
    }
    return new Diff(receivers, messages, rdsMessages, otherMessages, maxMessages, maxResources, maxBytes, totalBytes,
        totalResources);
  }

  /** Per-change totals over all clients, and who received anything. */
  public record Diff(BitSet receivers, long messages, long rdsMessages, long otherMessages, long maxMessagesPerClient,
      long maxResourcesPerClient, long maxBytesPerClient, long totalBytes, long totalResources) {
    Msg toMsg() {
      return ProcStats.ok().put("receivers", encode(receivers)).put("receiverCount", receivers.cardinality())
          .put("messages", messages).put("rdsMessages", rdsMessages).put("otherMessages", otherMessages)
          .put("maxMessagesPerClient", maxMessagesPerClient).put("maxResourcesPerClient", maxResourcesPerClient)
          .put("maxBytesPerClient", maxBytesPerClient).put("totalBytes", totalBytes).put("totalResources", totalResources);
    }
  }

  /** A bit set as URL-safe base64 ("-" when empty), to fit a protocol value. */
  public static String encode(BitSet b) {
    byte[] bytes = b.toByteArray();
    return bytes.length == 0 ? "-" : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static BitSet decode(String s) {
    return s.equals("-") ? new BitSet() : BitSet.valueOf(Base64.getUrlDecoder().decode(s));
  }

  @Override
  public void close() {
    try {
      disconnect(0, Integer.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
  }
}
