/**
 * Stage 1: reading inputs. The manifest loader (multi-document YAML/JSON, {@code kind: List},
 * files, directories, stdin) turns documents into {@link io.appmeshxds.translator.input.MeshResources},
 * the immutable snapshot every later stage reads. Kubernetes objects arrive here through the same
 * records from the server's informers. {@link io.appmeshxds.translator.input.FlaggerObjects} derives
 * the App Mesh objects Flagger creates from the Canaries read (a pure step; manifest mode only).
 * Reading files is the only I/O in this module.
 */
package io.appmeshxds.translator.input;
