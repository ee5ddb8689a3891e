package io.appmeshxds.translator.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small proto helpers shared by the factories. */
public final class Protos {
  private Protos() {}

  /** Deterministic bytes (map fields sorted), so equal messages hash equal everywhere. */
  public static byte[] bytes(Message m) {
    try {
      byte[] out = new byte[m.getSerializedSize()];
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.useDeterministicSerialization();
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code Any} packed with deterministic bytes. */
  public static Any pack(Message m) {
    return Any.newBuilder()
        .setTypeUrl("type.googleapis.com/" + m.getDescriptorForType().getFullName())
        .setValue(ByteString.copyFrom(bytes(m)))
        .build();
  }

  /*
   * Shared instances of small values. Why: the translator keeps the protos of every cluster and
   * load assignment its connected proxies use, and each held its own UInt32Value per weight and
   * threshold, its own timeouts and config source (1.3 MB at 500 proxies of the benchmark's M1k).
   * Messages are immutable, so one instance serves every resource; the bytes are the same.
   */
  private static final UInt32Value[] U32 = new UInt32Value[1025];
  private static final Duration[] SECONDS = new Duration[601];
  private static final Duration[] CENTISECONDS = new Duration[100];
  private static final ConfigSource ADS = ConfigSource.newBuilder()
      .setAds(AggregatedConfigSource.getDefaultInstance())
      .setResourceApiVersion(ApiVersion.V3)
      .build();

  static {
    for (int i = 0; i < U32.length; i++) {
      U32[i] = UInt32Value.of(i);
    }
    for (int i = 0; i < SECONDS.length; i++) {
      SECONDS[i] = Duration.newBuilder().setSeconds(i).build();
    }
    for (int i = 0; i < CENTISECONDS.length; i++) {
      CENTISECONDS[i] = Duration.newBuilder().setNanos(i * 10_000_000).build();
    }
  }

  /** {@code UInt32Value.of(v)}, a shared instance for 0 to 1024. */
  public static UInt32Value u32(int v) {
    return v >= 0 && v < U32.length ? U32[v] : UInt32Value.of(v);
  }

  /**
   * A duration of {@code ms} milliseconds; a shared instance for whole seconds up to ten minutes
   * and for tens of milliseconds under a second.
   */
  public static Duration millis(long ms) {
    if (ms >= 0 && ms % 1000 == 0 && ms / 1000 < SECONDS.length) {
      return SECONDS[(int) (ms / 1000)];
    }
    if (ms > 0 && ms < 1000 && ms % 10 == 0) {
      return CENTISECONDS[(int) (ms / 10)];
    }
    return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
  }

  /** ADS config source, v3 (one shared instance). */
  public static ConfigSource ads() {
    return ADS;
  }
}
