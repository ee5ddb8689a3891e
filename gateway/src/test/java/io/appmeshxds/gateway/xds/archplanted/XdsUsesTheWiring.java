package io.appmeshxds.gateway.xds.archplanted;

import io.appmeshxds.gateway.GatewayModule;

/** Planted (never run): an xDS-stage class that names the wiring package, closing a cycle through it. */
public final class XdsUsesTheWiring {
  GatewayModule module;
}
