package io.appmeshxds.translator.input;

/**
 * One object read from a document.
 *
 * @param object a {@link io.appmeshxds.translator.api.MeshObject}, {@link K8sNamespace},
 *     {@link K8sService}, {@link EndpointSlice} or {@link GatewayApi.Resource}
 * @param ref its identity
 * @param source where it came from
 */
public record LoadedObject(Object object, ObjectRef ref, SourceRef source) {}
