/**
 * Benchmarks: a deterministic mesh generator (M1k, M10k), JMH benchmarks of translation, and the
 * load harness of simulated delta-ADS clients. Run through {@code bin/bench}; never part of tests'
 * pass/fail (no timed assertions).
 */
package io.appmeshxds.bench;
