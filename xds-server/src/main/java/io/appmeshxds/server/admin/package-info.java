/** Admin HTTP: readiness, health, Prometheus metrics, config dumps and object status. */
package io.appmeshxds.server.admin;
