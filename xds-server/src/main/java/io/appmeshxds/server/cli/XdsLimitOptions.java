package io.appmeshxds.server.cli;

import io.appmeshxds.server.grpc.XdsLimits;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code serve}'s flags for {@link XdsLimits}: what one xDS client may cost. Defaults are {@link XdsLimits#defaults()}. */
final class XdsLimitOptions {
  private static final XdsLimits D = XdsLimits.defaults();

  @Option(names = "--xds-max-streams-per-peer", paramLabel = "N",
      description = "ADS streams one peer IP address may hold open; more are refused with RESOURCE_EXHAUSTED (default: 100).")
  Integer streamsPerPeer;

  @Option(names = "--xds-max-streams", paramLabel = "N", description = "ADS streams open in total (default: 20000).")
  Integer streams;

  @Option(names = "--xds-max-request-bytes", paramLabel = "BYTES",
      description = "Largest xDS request message; larger ones end the stream (default: 4194304).")
  Integer requestBytes;

  @Option(names = "--xds-max-resource-names", paramLabel = "N",
      description = "Resource names in one request; more end the stream (default: 20000).")
  Integer resourceNames;

  @Option(names = "--xds-max-node-id-chars", paramLabel = "N",
      description = "Length of node.id and node.cluster; longer ones end the stream (default: 512).")
  Integer nodeIdChars;

  @Option(names = "--xds-max-node-bytes", paramLabel = "BYTES",
      description = "Serialized size of a request's node, metadata included; larger ones end the stream (default: 65536).")
  Integer nodeBytes;

  @Option(names = "--xds-max-version-chars", paramLabel = "N",
      description = "Length of a request's version_info and response_nonce; longer ones are dropped from the request (default: 256).")
  Integer versionChars;

  @Option(names = "--xds-max-nack-message-chars", paramLabel = "N",
      description = "NACK text kept for a VirtualNode's condition; longer text is cut with a marker (default: 1024).")
  Integer nackMessageChars;

  @Option(names = "--xds-max-logged-chars", paramLabel = "N",
      description = "Client text (node ids, NACK messages) in one log line, escaped and cut with a marker (default: 512).")
  Integer loggedChars;

  @Option(names = "--xds-log-lines-per-minute", paramLabel = "N",
      description = "Log lines per minute of each kind a client can trigger (NACKs, limits, unknown nodes); the rest are counted (default: 60).")
  Integer logLinesPerMinute;

  /** The limits, or a usage error naming the flag. */
  XdsLimits limits(CommandLine.Model.CommandSpec spec) {
    try {
      return new XdsLimits(or(streamsPerPeer, D.maxStreamsPerPeer()), or(streams, D.maxStreams()),
          or(requestBytes, D.maxRequestBytes()), or(resourceNames, D.maxResourceNames()), or(nodeIdChars, D.maxNodeIdChars()),
          or(nodeBytes, D.maxNodeBytes()), or(versionChars, D.maxVersionChars()), or(nackMessageChars, D.maxNackMessageChars()),
          or(loggedChars, D.maxLoggedChars()), or(logLinesPerMinute, D.logLinesPerMinute()));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static int or(Integer v, int d) {
    return v == null ? d : v;
  }
}
