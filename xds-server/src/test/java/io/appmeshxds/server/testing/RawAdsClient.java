package io.appmeshxds.server.testing;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven ADS client for abuse tests: sends whatever requests a test builds, from a chosen
 * loopback source address (127.0.0.2, …: Linux routes all of 127/8 to the loopback interface), so
 * that per-address limits can be exercised while well-behaved clients connect from 127.0.0.1.
 */
public final class RawAdsClient implements AutoCloseable {
  private final ManagedChannel channel;

  public RawAdsClient(int port, String sourceIp) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(64 << 20)
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(sourceIp, 0);
          }
        }).build();
  }

  public static Node node(String id) {
    return Node.newBuilder().setId(id).setCluster("abuse").setUserAgentName("envoy").setUserAgentVersion("1.34.0").build();
  }

  /** One SotW stream. */
  public Stream stream() {
    Stream s = new Stream();
    s.out = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(s.observer());
    return s;
  }

  /** One delta stream. */
  public DeltaStream deltaStream() {
    DeltaStream s = new DeltaStream();
    s.out = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DeltaDiscoveryResponse r) {
        s.responses.add(r);
      }

      @Override
      public void onError(Throwable t) {
        s.ended.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        s.ended.complete(Status.OK);
      }
    });
    return s;
  }

  /** A SotW stream's ends. */
  public static final class Stream {
    public StreamObserver<DiscoveryRequest> out;
    public final LinkedBlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
    public final CompletableFuture<Status> ended = new CompletableFuture<>();

    StreamObserver<DiscoveryResponse> observer() {
      return new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryResponse r) {
          responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
          ended.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          ended.complete(Status.OK);
        }
      };
    }

    /** Sends, ignoring a stream the server already ended. */
    public synchronized void send(DiscoveryRequest r) {
      if (!ended.isDone()) {
        try {
          out.onNext(r);
        } catch (RuntimeException e) {
          // ended meanwhile
        }
      }
    }

    public DiscoveryResponse next(long millis) throws InterruptedException {
      return responses.poll(millis, TimeUnit.MILLISECONDS);
    }
  }

  /** A delta stream's ends. */
  public static final class DeltaStream {
    public StreamObserver<DeltaDiscoveryRequest> out;
    public final LinkedBlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    public final CompletableFuture<Status> ended = new CompletableFuture<>();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
