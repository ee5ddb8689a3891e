/**
 * What translation says about each object: problems (with source, field path and severity) and the
 * App Mesh condition per object ({@code VirtualNodeActive}, … with our reasons). Pure values; the
 * server decides where they go (Kubernetes status or the log).
 */
package io.appmeshxds.translator.status;
