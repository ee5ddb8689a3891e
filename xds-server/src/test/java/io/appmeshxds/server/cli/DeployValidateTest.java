package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code validate deploy/} (the README's example) stays clean: the CRDs, RBAC, Deployments,
 * kustomizations and the bundled mesh are read together without a problem (no duplicate object, no
 * file that is not a manifest).
 */
class DeployValidateTest {
  @Test
  void theRepositorysDeployDirectoryValidates() {
    ValidateCommandTest.Run r = ValidateCommandTest.run(null, "../deploy");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out() + r.err()).contains("0 error(s), 0 warning(s)");
  }
}
