/**
 * CustomResource classes for the seven App Mesh kinds, used only to generate the CRDs ({@code
 * deploy/crds/}) with fabric8's crd-generator. Specs are the translator's records ({@code
 * io.appmeshxds.translator.api}), so the schema the API server enforces and the checks we run come
 * from the same annotations. Nothing here runs in the control plane: the Kubernetes source reads
 * objects as generic resources and converts them with the manifest loader.
 */
package io.appmeshxds.crds;
