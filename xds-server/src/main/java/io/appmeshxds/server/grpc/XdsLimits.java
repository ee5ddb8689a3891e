package io.appmeshxds.server.grpc;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client may cost the xDS port. Each limit has a {@code serve} flag (named in the
 * validation messages), a metric when it triggers ({@code appmeshxds_xds_limited_total{reason}})
 * and a rate-limited log line. Defaults are sized for thousands of proxies, each on its own pod
 * address, asking for the config of a mesh of 10,000 services.
 *
 * @param maxStreamsPerPeer ADS streams one peer address may hold open (an Envoy holds one)
 * @param maxStreams ADS streams open in total
 * @param maxRequestBytes largest request message (gRPC max inbound message size)
 * @param maxResourceNames resource names in one request (subscribe + unsubscribe + initial versions for delta)
 * @param maxNodeIdChars length of {@code node.id} and of {@code node.cluster}
 * @param maxNodeBytes serialized size of the {@code node} (metadata included)
 * @param maxVersionChars length of a request's {@code version_info} and {@code response_nonce}; longer
 *     ones cannot be ours (ours are short hashes and counters) and are dropped from the request
 * @param maxNackMessageChars NACK text kept for the VirtualNode's condition (longer is cut with a marker)
 * @param maxLoggedChars client text in one log line (node ids, NACK messages)
 * @param logLinesPerMinute lines per minute of each kind of client-triggered log line (NACKs,
 *     refusals, unknown nodes); the rest are counted and summarized
 */
public record XdsLimits(int maxStreamsPerPeer, int maxStreams, int maxRequestBytes, int maxResourceNames,
    int maxNodeIdChars, int maxNodeBytes, int maxVersionChars, int maxNackMessageChars, int maxLoggedChars,
    int logLinesPerMinute) {

  /** Flag names, in component order; validation messages use them. */
  public static final String[] FLAGS = {
    "--xds-max-streams-per-peer", "--xds-max-streams", "--xds-max-request-bytes", "--xds-max-resource-names",
    "--xds-max-node-id-chars", "--xds-max-node-bytes", "--xds-max-version-chars", "--xds-max-nack-message-chars",
    "--xds-max-logged-chars", "--xds-log-lines-per-minute"
  };

  public XdsLimits {
    List<String> problems = new ArrayList<>();
    range(problems, 0, maxStreamsPerPeer, 1, 1_000_000);
    range(problems, 1, maxStreams, 1, 1_000_000);
    range(problems, 2, maxRequestBytes, 64 * 1024, 256 * 1024 * 1024);
    range(problems, 3, maxResourceNames, 1, 10_000_000);
    range(problems, 4, maxNodeIdChars, 300, 65_536);
    range(problems, 5, maxNodeBytes, 1024, 64 * 1024 * 1024);
    range(problems, 6, maxVersionChars, 64, 65_536);
    range(problems, 7, maxNackMessageChars, 64, 1_048_576);
    range(problems, 8, maxLoggedChars, 64, 1_048_576);
    range(problems, 9, logLinesPerMinute, 1, 1_000_000);
    if (problems.isEmpty() && maxNodeBytes > maxRequestBytes) {
      problems.add(FLAGS[5] + " (" + maxNodeBytes + ") cannot exceed " + FLAGS[2] + " (" + maxRequestBytes
          + "): a node travels inside a request");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Defaults: 100 streams per address, 20,000 in all, 4 MiB requests (an EDS request naming 10,000
   * clusters is about 600 KB), 20,000 names a request, 512-character node ids (App Mesh names are at
   * most 255), 64 KiB nodes, 256-character versions, 1,024 characters of NACK text kept, 512 in a log
   * line, 60 lines a minute of each kind.
   */
  public static XdsLimits defaults() {
    return new XdsLimits(100, 20_000, 4 * 1024 * 1024, 20_000, 512, 64 * 1024, 256, 1024, 512, 60);
  }

  public XdsLimits withStreams(int perPeer, int total) {
    return new XdsLimits(perPeer, total, maxRequestBytes, maxResourceNames, maxNodeIdChars, maxNodeBytes, maxVersionChars,
        maxNackMessageChars, maxLoggedChars, logLinesPerMinute);
  }

  public XdsLimits withRequest(int requestBytes, int resourceNames) {
    return new XdsLimits(maxStreamsPerPeer, maxStreams, requestBytes, resourceNames, maxNodeIdChars,
        Math.min(maxNodeBytes, requestBytes), maxVersionChars, maxNackMessageChars, maxLoggedChars, logLinesPerMinute);
  }

  public XdsLimits withText(int nodeIdChars, int versionChars, int nackMessageChars, int loggedChars, int linesPerMinute) {
    return new XdsLimits(maxStreamsPerPeer, maxStreams, maxRequestBytes, maxResourceNames, nodeIdChars, maxNodeBytes,
        versionChars, nackMessageChars, loggedChars, linesPerMinute);
  }

  private static void range(List<String> problems, int flag, int v, int min, int max) {
    if (v < min || v > max) {
      problems.add(FLAGS[flag] + " must be between " + min + " and " + max + " (got " + v + ")");
    }
  }
}
