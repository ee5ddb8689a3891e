package io.appmeshxds.server.admin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small non-blocking HTTP/1.1 server: one selector thread accepts connections, reads request
 * heads and writes responses without ever blocking on a client; every response closes its
 * connection.
 *
 * <p>Why: with a thread per connection (the JDK's HttpServer reads the request on its executor's
 * threads), a client that opens a connection and sends half a request line holds a thread until it
 * gives up; two such clients held both admin threads and {@code /healthz} went unanswered for 80 s.
 * Here a stalled client holds only a buffer: the head must arrive within the header timeout and fit
 * {@link #MAX_HEAD} bytes, a response must be taken within the write timeout, and past the
 * connection limit the oldest connection still sending its head (else the oldest one not taking
 * its response) is closed to make room, so a new connection (a probe) is always read. Requests are
 * handed to {@link Handler}, which answers cheap ones inline and may complete the others later from
 * another thread ({@link Exchange#respond}).
 */
final class HttpLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpLoop.class);
  static final int MAX_HEAD = 8 * 1024;

  /** Limits. */
  record Limits(long headerTimeoutNanos, long writeTimeoutNanos, int maxConnections) {}

  /** Why a connection was closed before its response was sent. */
  enum Closed { HEADER_TIMEOUT, WRITE_TIMEOUT, EVICTED, HEAD_TOO_LARGE }

  /** A parsed request. */
  record Request(String method, String target, Map<String, String> headers, InetAddress peer) {
    /** A header by lower-case name, or null. */
    String header(String lowerName) {
      return headers.get(lowerName);
    }
  }

  /** A response. */
  record Response(int code, String contentType, byte[] body, Map<String, String> headers) {
    static Response text(int code, String body) {
      return new Response(code, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  /** One request; {@link #respond} may be called from any thread, once. */
  final class Exchange {
    private final Conn conn;
    final Request request;

    Exchange(Conn conn, Request request) {
      this.conn = conn;
      this.request = request;
    }

    void respond(Response r) {
      byte[] bytes = encode(r, "HEAD".equals(request.method()));
      if (Thread.currentThread() == thread) {
        startWrite(conn, bytes);
      } else {
        tasks.add(() -> startWrite(conn, bytes));
        selector.wakeup();
      }
    }
  }

  /** Answers requests (called on the selector thread: must not block). */
  interface Handler {
    void handle(Exchange exchange);
  }

  private enum State { READING, WORKING, WRITING }

  private static final class Conn {
    final SocketChannel ch;
    final long accepted;
    final InetAddress peer;
    SelectionKey key;
    ByteBuffer in = ByteBuffer.allocate(1024);
    ByteBuffer out;
    long writeDeadline;
    State state = State.READING;

    Conn(SocketChannel ch, long accepted, InetAddress peer) {
      this.ch = ch;
      this.accepted = accepted;
      this.peer = peer;
    }
  }

  private final Selector selector;
  private final ServerSocketChannel server;
  private final Limits limits;
  private final Handler handler;
  private final Consumer<Closed> onClosed;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final LinkedHashSet<Conn> conns = new LinkedHashSet<>(); // accept order: the first is the oldest
  private final Thread thread;
  private final InetSocketAddress bound;
  private volatile boolean running = true;
  private volatile int open;
  private long lastSweep;

  HttpLoop(InetSocketAddress bind, Limits limits, Handler handler, Consumer<Closed> onClosed, String name)
      throws IOException {
    this.limits = limits;
    this.handler = handler;
    this.onClosed = onClosed;
    selector = Selector.open();
    server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(bind, 128);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      bound = (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  HttpLoop start() {
    thread.start();
    return this;
  }

  /** The bound address (also after close). */
  InetSocketAddress address() {
    return bound;
  }

  /** Open connections. */
  int open() {
    return open;
  }

  private void run() {
    while (running) {
      try {
        selector.select(100);
        Runnable t;
        while ((t = tasks.poll()) != null) {
          t.run();
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            accept();
          } else if (k.attachment() instanceof Conn c) {
            if (k.isReadable()) {
              read(c);
            } else if (k.isValid() && k.isWritable()) {
              write(c);
            }
          }
        }
        sweep();
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        LOG.warn("admin HTTP: {}", e.toString()); // one bad connection never stops the loop
      }
    }
    for (Conn c : new ArrayList<>(conns)) {
      close(c);
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = server.accept()) != null) {
      if (conns.size() >= limits.maxConnections() && !evictOldest()) {
        ch.close(); // every slot is a request being answered: this one waits for none
        continue;
      }
      ch.configureBlocking(false);
      InetAddress peer = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
      Conn c = new Conn(ch, System.nanoTime(), peer);
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      conns.add(c);
      open = conns.size();
    }
  }

  /**
   * Makes room: closes the oldest connection still sending its head, else the oldest one whose
   * client is not taking its response. Connections whose view is being computed are left alone
   * (the worker pool bounds them). Returns whether one was closed.
   */
  private boolean evictOldest() {
    for (State victim : new State[] {State.READING, State.WRITING}) {
      for (Conn c : conns) {
        if (c.state == victim) {
          onClosed.accept(Closed.EVICTED); // counted first: whoever sees the close sees the count
          close(c);
          return true;
        }
      }
    }
    return false;
  }

  private void read(Conn c) {
    try {
      if (!c.in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD, c.in.capacity() * 2));
        c.in.flip();
        bigger.put(c.in);
        c.in = bigger;
      }
      int from = Math.max(0, c.in.position() - 3);
      int n = c.ch.read(c.in);
      if (n < 0) {
        close(c);
        return;
      }
      int end = headEnd(c.in, from);
      if (end < 0) {
        if (c.in.position() >= MAX_HEAD) {
          onClosed.accept(Closed.HEAD_TOO_LARGE);
          c.state = State.WORKING;
          new Exchange(c, new Request("GET", "/", Map.of(), c.peer))
              .respond(Response.text(431, "request head larger than " + MAX_HEAD + " bytes\n"));
        }
        return;
      }
      c.state = State.WORKING;
      c.key.interestOps(0);
      Request r = parse(new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1), c.peer);
      Exchange x = new Exchange(c, r == null ? new Request("GET", "/", Map.of(), c.peer) : r);
      if (r == null) {
        x.respond(Response.text(400, "bad request\n"));
      } else {
        handler.handle(x);
      }
    } catch (IOException | RuntimeException e) {
      close(c);
    }
  }

  /** The length of the head (up to and including the blank line) in {@code b[0, position)}, or -1. */
  private static int headEnd(ByteBuffer b, int from) {
    byte[] a = b.array();
    for (int i = from; i < b.position(); i++) {
      if (a[i] == '\n' && ((i >= 1 && a[i - 1] == '\n') || (i >= 3 && a[i - 1] == '\r' && a[i - 2] == '\n'))) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Request line and headers; null when malformed. */
  static Request parse(String head, InetAddress peer) {
    String[] lines = head.split("\r?\n");
    String[] rl = lines[0].split(" ");
    if (rl.length != 3 || !rl[2].startsWith("HTTP/1.") || rl[0].isEmpty() || rl[1].isEmpty()) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        if (lines[i].isEmpty()) {
          continue;
        }
        return null;
      }
      headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Request(rl[0], rl[1], headers, peer);
  }

  private void startWrite(Conn c, byte[] bytes) {
    if (!c.ch.isOpen()) {
      return;
    }
    c.state = State.WRITING;
    c.out = ByteBuffer.wrap(bytes);
    c.writeDeadline = System.nanoTime() + limits.writeTimeoutNanos();
    write(c);
    if (c.ch.isOpen()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
    }
  }

  private void write(Conn c) {
    try {
      // At most 256 KiB per call: NIO copies a heap buffer's whole remainder into a temporary direct
      // buffer on every write, which for a large /metrics to a slow reader would be quadratic.
      int chunk = Math.min(c.out.remaining(), 256 * 1024);
      ByteBuffer slice = c.out.slice(c.out.position(), chunk);
      c.out.position(c.out.position() + c.ch.write(slice));
      if (!c.out.hasRemaining()) {
        c.ch.shutdownOutput();
        close(c);
      }
    } catch (IOException e) {
      close(c);
    }
  }

  /** Closes connections past their deadlines (at most every 50 ms; the connection set is bounded). */
  private void sweep() {
    long now = System.nanoTime();
    if (now - lastSweep < 50_000_000L) {
      return;
    }
    lastSweep = now;
    for (Conn c : new ArrayList<>(conns)) {
      if (c.state == State.READING && now - c.accepted > limits.headerTimeoutNanos()) {
        onClosed.accept(Closed.HEADER_TIMEOUT); // counted first: whoever sees the close sees the count
        close(c);
      } else if (c.state == State.WRITING && now - c.writeDeadline > 0) {
        onClosed.accept(Closed.WRITE_TIMEOUT); // counted first: whoever sees the close sees the count
        close(c);
      }
    }
  }

  private void close(Conn c) {
    conns.remove(c);
    open = conns.size();
    try {
      c.ch.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(400, "Bad Request"),
      Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
      Map.entry(405, "Method Not Allowed"), Map.entry(431, "Request Header Fields Too Large"),
      Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"));

  static byte[] encode(Response r, boolean head) {
    StringBuilder h = new StringBuilder("HTTP/1.1 ").append(r.code()).append(' ')
        .append(REASONS.getOrDefault(r.code(), "Status")).append("\r\n")
        .append("Content-Type: ").append(r.contentType()).append("\r\n")
        .append("Content-Length: ").append(r.body().length).append("\r\n")
        .append("Connection: close\r\n");
    r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    byte[] hb = h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    if (head) {
      return hb;
    }
    byte[] all = new byte[hb.length + r.body().length];
    System.arraycopy(hb, 0, all, 0, hb.length);
    System.arraycopy(r.body(), 0, all, hb.length, r.body().length);
    return all;
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.close();
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
