package io.appmeshxds.translator.incremental;

import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.input.ObjectRef;

/**
 * Something a computation read, recorded so that a later change to it re-runs exactly the
 * computations that read it (see {@link Reads}). Inputs, App Mesh name ownership, accepted states
 * and entries of the resolved graph each have a key; a change is announced with the same key.
 */
public sealed interface Dep {

  /** One input object (an App Mesh object, a Service, an EndpointSlice) by ref. */
  record Input(ObjectRef ref) implements Dep {}

  /** Every input object of a kind (the computation iterated them). */
  record InputKind(String kind) implements Dep {}

  /** Which object owns an App Mesh name of a kind in a mesh. */
  record AwsName(String mesh, Kind kind, String awsName) implements Dep {}

  /** Whether an object is accepted, and what is served for it. */
  record State(ObjectRef ref) implements Dep {}

  /** One entry of a mesh graph: the resolved object of {@code kind} named {@code name} (or its absence). */
  record Entry(String mesh, Kind kind, String name) implements Dep {}

  /** The set of names of one kind in a mesh graph. */
  record Names(String mesh, Kind kind) implements Dep {}

  /** Every entry of one kind in a mesh graph (the computation iterated the values). */
  record Values(String mesh, Kind kind) implements Dep {}

  /** The EndpointSlices of one Kubernetes Service. */
  record Slices(String namespace, String service) implements Dep {}

  /** What the server resolved for one DNS host name. */
  record Dns(String host) implements Dep {}

  /** What the server discovered in AWS Cloud Map for one question. */
  record CloudMap(io.appmeshxds.translator.input.CloudMapQuery query) implements Dep {}

  /** The Gateway API routes (model.ServiceRoutes) of one VirtualService of a mesh. */
  record Gamma(String mesh, String service) implements Dep {}

  /** A memoized sub-computation: it changes when anything it read changes. */
  record Memo(Object key) implements Dep {}
}
