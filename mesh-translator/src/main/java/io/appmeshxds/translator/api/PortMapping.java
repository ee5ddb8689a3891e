package io.appmeshxds.translator.api;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A port and its protocol. */
public record PortMapping(@Required @Min(1) @Max(65535) Long port, @Required PortProtocol protocol) {

  public static PortMapping of(int port, PortProtocol protocol) {
    return new PortMapping((long) port, protocol);
  }
}
