/**
 * AWS, as the runtime calls it: one place that builds the SDK clients (region, endpoint override,
 * the default credential chain, the JDK's HTTP client, bounded call times) for Cloud Map and ACM.
 * What calls AWS lives in {@code server} (sources, sinks); {@code mesh-translator} never does.
 */
package io.appmeshxds.server.aws;
