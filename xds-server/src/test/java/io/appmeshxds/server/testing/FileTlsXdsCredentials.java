package io.appmeshxds.server.testing;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.xds.XdsCredentialsProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * grpc-java xDS channel credentials {@code "type": "appmesh_test_tls"} for the bootstrap's
 * {@code channel_creds}: TLS trusting {@code ca_certificate_file}, with an optional client
 * certificate ({@code certificate_file}, {@code private_key_file}) and an optional bearer token read
 * from {@code token_file} on each call. Why: grpc-java 1.85's built-in {@code tls} type ignores its
 * config and trusts only the JVM's roots (gRFC A65's file options are not in this release), so a
 * proxyless client with a private CA or a client certificate needs a provider like this one
 * (registered through {@code META-INF/services}, the library's extension point).
 */
public final class FileTlsXdsCredentials extends XdsCredentialsProvider {
  public static final String NAME = "appmesh_test_tls";

  @Override
  protected ChannelCredentials newChannelCredentials(Map<String, ?> config) {
    try {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder()
          .trustManager(new File((String) config.get("ca_certificate_file")));
      if (config.get("certificate_file") != null) {
        b.keyManager(new File((String) config.get("certificate_file")), new File((String) config.get("private_key_file")));
      }
      ChannelCredentials tls = b.build();
      Object tokenFile = config.get("token_file");
      if (tokenFile == null) {
        return tls;
      }
      Path token = Path.of((String) tokenFile);
      return CompositeChannelCredentials.create(tls, new CallCredentials() {
        @Override
        public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
          try {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + Files.readString(token).trim());
            applier.apply(md);
          } catch (Exception e) {
            applier.fail(io.grpc.Status.UNAUTHENTICATED.withDescription("cannot read the token file"));
          }
        }
      });
    } catch (Exception e) {
      throw new IllegalArgumentException("appmesh_test_tls: " + e.getMessage(), e);
    }
  }

  @Override
  protected String getName() {
    return NAME;
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int priority() {
    return 5;
  }
}
