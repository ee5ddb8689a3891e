package io.appmeshxds.bench.archplanted;

/**
 * A class in the bench module's package, in xds-server's test sources (bench depends on
 * xds-server, so its classes are not on this class path): what the module-direction plants reach.
 */
public final class BenchStandIn {}
