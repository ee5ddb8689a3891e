package io.appmeshxds.server.testing;

import io.grpc.ForwardingServerCall;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server on loopback (127.0.0.1 unless told ::1; port chosen by the OS unless told) serving grpc.health.v1, which tags every
 * response with {@code x-backend-id: <id>}. It can fail the first N calls with UNAVAILABLE, or
 * answer slowly, to exercise retries and timeouts.
 */
public final class Backend implements AutoCloseable {
  public static final Metadata.Key<String> ID = Metadata.Key.of("x-backend-id", Metadata.ASCII_STRING_MARSHALLER);

  private final String id;
  private final Server server;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile long delayMillis;

  public Backend(String id) throws IOException {
    this(id, "127.0.0.1", 0);
  }

  /**
   * On a given loopback address ({@code 127.0.0.1} or {@code ::1}) and port (0: the OS picks). Why:
   * two instances on the same port differ only by address, as pods behind one listener port do.
   */
  public Backend(String id, String address, int port) throws IOException {
    this.id = id;
    ServerInterceptor tag = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
        calls.incrementAndGet();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          call.close(Status.UNAVAILABLE.withDescription(id + " fails this attempt"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        if (delayMillis > 0) {
          try {
            TimeUnit.MILLISECONDS.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata md) {
            md.put(ID, Backend.this.id);
            super.sendHeaders(md);
          }
        }, h);
      }
    };
    server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress(address, port), InsecureServerCredentials.create())
        .addService(ServerInterceptors.intercept(new HealthStatusManager().getHealthService(), tag))
        .build()
        .start();
  }

  public String id() {
    return id;
  }

  public int port() {
    return server.getPort();
  }

  /** Calls received (attempts, including failed ones). */
  public int calls() {
    return calls.get();
  }

  /** Fails the next {@code n} attempts with UNAVAILABLE. */
  public void failNext(int n) {
    failNext.set(n);
  }

  public void delay(long millis) {
    delayMillis = millis;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
