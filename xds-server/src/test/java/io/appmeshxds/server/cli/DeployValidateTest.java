package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code validate deploy/crds deploy/base deploy/examples} (the README's example) stays clean: the CRDs, RBAC,
 * Deployments, kustomizations and the bundled mesh are read together without a problem (no
 * duplicate object, no file that is not a manifest). The overlays' IAM policies (JSON documents
 * that are not Kubernetes objects, as {@code kubectl apply -f} would also refuse) are not passed.
 */
class DeployValidateTest {
  @Test
  void theRepositorysDeployDirectoryValidates() {
    ValidateCommandTest.Run r = ValidateCommandTest.run(null, "../deploy/crds", "../deploy/base", "../deploy/examples");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out() + r.err()).contains("0 error(s), 0 warning(s)");
  }
}
