package io.appmeshxds.translator.input;

/** Machine-readable reasons of our conditions (App Mesh's condition types, our reasons). */
public enum Reason {
  /** Valid, resolved and served. */
  Accepted,
  /** The document could not be read (syntax, wrong types, unsupported apiVersion). */
  MalformedInput,
  /** A field breaks a CRD constraint or an App Mesh API/webhook rule. */
  InvalidSpec,
  /** No Mesh (or several) takes the object's namespace, or meshRef names a missing Mesh. */
  MeshNotFound,
  /** The Mesh the object belongs to is itself rejected. */
  MeshNotActive,
  /** A referenced object does not exist. */
  ReferenceNotFound,
  /** A referenced object exists but is rejected. */
  ReferenceNotActive,
  /** A reference crosses into another mesh. */
  CrossMeshReference,
  /** Two objects of a kind share an App Mesh name in one mesh. */
  NameConflict,
  /** A GatewayRoute matches no VirtualGateway, or several. */
  GatewayNotFound,
  /** A feature we do not serve yet (Cloud Map discovery, ACM certificates, …). */
  Unsupported,
  /** The object's own spec is fine but it could not be composed with what it targets. */
  NotComposable,
  /** A proxy of this object rejected (NACKed) the configuration we sent. */
  ConfigRejected,
  /** Gateway API: a backendRef names a Service no VirtualNode of the mesh serves (ResolvedRefs=False). */
  BackendNotFound,
  /** Gateway API: a reference into another namespace without a ReferenceGrant allowing it (ResolvedRefs=False). */
  RefNotPermitted,
  /** Gateway API: a parentRef or backendRef of a kind that is not served (ResolvedRefs=False). */
  InvalidKind,
  /** Gateway API: no parentRef names something appmesh-xds serves (Accepted=False). */
  NoMatchingParent,
  /** Gateway API: a Gateway listener's protocol is not served (only HTTP is). */
  UnsupportedProtocol,
  /** Gateway API: a Gateway is served to its Envoy (Programmed=True). */
  Programmed,
  /** Gateway API: a route's parent Gateway has listeners for it, but their allowedRoutes admit it on none. */
  NotAllowedByListeners,
  /** Gateway API: no hostname of a route matches the hostname of a listener that would take it. */
  NoMatchingListenerHostname,
  /** Gateway API: a Gateway has listeners that are not served (Accepted True with some left, else False). */
  ListenersNotValid,
  /** Gateway API: a Gateway or listener that is not served to its Envoy (Programmed=False). */
  Invalid,
  /** Gateway API: a listener has the port and hostname of an earlier one (Conflicted=True). */
  HostnameConflict,
  /** Gateway API: a listener conflicts with no other (Conflicted=False). */
  NoConflicts,
  /** Gateway API: a listener's allowedRoutes.kinds names a kind that is not served on it (ResolvedRefs=False). */
  InvalidRouteKinds
}
