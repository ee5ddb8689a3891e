/**
 * Stage 0, the contract: the {@code appmesh.k8s.aws/v1beta2} objects as immutable records, field for
 * field as App Mesh's CRDs define them (JSON keys, enums, limits).
 *
 * <p>Constraints are declared once, with fabric8's generator annotations ({@code @Required},
 * {@code @Min}, {@code @Max}, {@code @Size}); the same annotations drive our schema validator
 * ({@code model.SchemaValidator}) and fabric8's CRD generator, so the CRDs we ship and the checks we
 * run cannot drift apart.
 *
 * <p>Every field is nullable (absent in the manifest); lists are never null (absent = empty). This
 * package depends on nothing but Jackson annotations and fabric8's annotation jar: no I/O, no logic
 * beyond defaults.
 */
package io.appmeshxds.translator.api;
