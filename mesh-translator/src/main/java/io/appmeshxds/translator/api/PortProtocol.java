package io.appmeshxds.translator.api;

/** Listener and port protocols. */
public enum PortProtocol {
  grpc,
  http,
  http2,
  tcp;

  /** http, http2 and grpc are served by an HTTP connection manager; tcp by tcp_proxy. */
  public boolean isHttpFamily() {
    return this != tcp;
  }
}
