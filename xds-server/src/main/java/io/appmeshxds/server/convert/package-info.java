/**
 * {@code appmesh-xds convert --to gateway-api}: App Mesh objects, resolved by the model builder as
 * {@code validate} and {@code render} resolve them, written as Gateway API objects with a loss
 * report. Pure: no I/O, no clock; the CLI reads and writes.
 */
package io.appmeshxds.server.convert;
