package io.appmeshxds.translator.plan;

/** Traffic direction of a listener or route configuration. */
public enum Direction {
  INGRESS,
  EGRESS
}
