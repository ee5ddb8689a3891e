/**
 * Publishing: the last gate before proxies. Checks every new resource set (consistency, Envoy's
 * proto rules), skips unchanged ones, and keeps the previous set of a proxy when the new one fails.
 */
package io.appmeshxds.server.publish;
