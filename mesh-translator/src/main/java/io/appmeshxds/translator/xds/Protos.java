package io.appmeshxds.translator.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
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

  public static Duration millis(long ms) {
    return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000).build();
  }

  /** ADS config source, v3. */
  public static ConfigSource ads() {
    return ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance())
        .setResourceApiVersion(ApiVersion.V3)
        .build();
  }
}
