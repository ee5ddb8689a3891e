/**
 * Admin HTTP: readiness, health, Prometheus metrics (open), config dumps and object status (behind
 * a bearer token or loopback-only), served by a non-blocking loop that stalled clients cannot hold.
 * Read-only: changes no state; depends on nothing but the suppliers it is given.
 */
package io.appmeshxds.server.admin;
