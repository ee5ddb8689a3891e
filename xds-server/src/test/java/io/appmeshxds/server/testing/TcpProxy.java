package io.appmeshxds.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a loopback server, to break a client's connections the way an
 * API server restart or a network failure does: {@link #cut()} closes every open connection, {@link
 * #refuse(boolean)} closes new ones as soon as they are accepted.
 */
public final class TcpProxy implements AutoCloseable {
  private final int target;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;
  private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean closed;
  private final Thread acceptor;

  public TcpProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::accept, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Closes every connection open now. */
  public void cut() {
    for (Socket s : open) {
      close(s);
    }
    open.clear();
  }

  /** While true, new connections are closed at once (connection refused, in effect). */
  public void refuse(boolean refuse) {
    refusing = refuse;
  }

  /** Connections closed at once because {@link #refuse(boolean)} was on: the clients' reconnect attempts seen. */
  public int refused() {
    return refused.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        if (refusing) {
          refused.incrementAndGet();
          close(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        if (closed) {
          // close() ran while this connection was being made: it must not outlive the proxy.
          close(client);
          close(upstream);
          return;
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // connection cut
      } finally {
        close(from);
        close(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cut();
  }
}
