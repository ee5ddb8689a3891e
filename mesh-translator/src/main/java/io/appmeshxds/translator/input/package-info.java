/**
 * Stage 1: reading inputs. The manifest loader ({@link io.appmeshxds.translator.input.ManifestLoader}:
 * multi-document YAML/JSON, {@code kind: List}) turns documents into
 * {@link io.appmeshxds.translator.input.MeshResources}, the immutable snapshot every later stage
 * reads. Kubernetes objects arrive here through the same records from the server's informers.
 * {@link io.appmeshxds.translator.input.FlaggerObjects} derives the App Mesh objects Flagger creates
 * from the Canaries read (a pure step; manifest mode only).
 *
 * <p>{@link io.appmeshxds.translator.input.ManifestFiles} reads files, directories and stdin: the
 * only I/O in this module (ArchitectureTest). The problem vocabulary ({@link
 * io.appmeshxds.translator.input.Problem}, {@link io.appmeshxds.translator.input.Reason}, {@link
 * io.appmeshxds.translator.input.Severity}) lives here because every problem is about an input
 * object or document, and the loader reports problems before there is a model. Depends on
 * {@code api} only.
 */
package io.appmeshxds.translator.input;
