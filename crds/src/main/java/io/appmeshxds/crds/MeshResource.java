package io.appmeshxds.crds;

import io.appmeshxds.translator.api.Mesh;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster-scoped {@code Mesh} ({@code meshes.appmesh.k8s.aws}); unknown fields are kept, as App Mesh's CRD keeps them. */
@Group("appmesh.k8s.aws")
@Version("v1beta2")
@Kind("Mesh")
@Plural("meshes")
@AdditionalPrinterColumn(name = "ARN", jsonPath = ".status.meshARN", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@PreserveUnknownFields
public class MeshResource extends CustomResource<Mesh.Spec, MeshStatus> {
  private static final long serialVersionUID = 1L;
}
