package io.appmeshxds.translator.api;

/** HTTP methods a route may match. */
public enum HttpMethod {
  CONNECT,
  DELETE,
  GET,
  HEAD,
  OPTIONS,
  PATCH,
  POST,
  PUT,
  TRACE
}
