package io.appmeshxds.crds;

import io.appmeshxds.translator.api.VirtualNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.kubernetes.api.model.Namespaced;

/** Namespaced {@code VirtualNode} ({@code virtualnodes.appmesh.k8s.aws}); unknown fields are kept, as App Mesh's CRD keeps them. */
@Group("appmesh.k8s.aws")
@Version("v1beta2")
@Kind("VirtualNode")
@Plural("virtualnodes")
@Categories("all")
@AdditionalPrinterColumn(name = "ARN", jsonPath = ".status.virtualNodeARN", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@PreserveUnknownFields
public class VirtualNodeResource extends CustomResource<VirtualNode.Spec, VirtualNodeStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;
}
