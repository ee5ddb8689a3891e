package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * App Mesh's {@code xray-daemon} container ({@code pkg/inject/xray.go}): the daemon image, UID 1337,
 * UDP port {@code xray}, {@code AWS_REGION}, the sidecar resources, and either a config file mounted
 * from the annotation {@code appmesh.k8s.aws/xrayAgentConfigMount: <volume>:<dir>} (then
 * {@code /xray --config <dir>/xray-daemon.yaml}) or {@code --log-level}/{@code --role-arn} arguments.
 */
final class XrayDaemon {
  private XrayDaemon() {}

  static final String NAME = "xray-daemon";

  static Container container(Injection in, int port, String region, ResourceRequirements resources, Map<String, String> a)
      throws Annotations.Malformed {
    String mount = Annotations.bounded(a, Annotations.XRAY_CONFIG_MOUNT);
    ContainerBuilder b = new ContainerBuilder()
        .withName(NAME)
        .withImage(in.xrayDaemon().image())
        .withNewSecurityContext().withRunAsUser(EnvoySidecar.UID).endSecurityContext()
        .addNewPort().withName("xray").withContainerPort(port).withProtocol("UDP").endPort()
        .withResources(resources);
    if (!region.isEmpty()) {
      b.withEnv(new EnvVar("AWS_REGION", region, null));
    }
    if (mount != null) {
      if (mount.contains(",")) {
        throw new Annotations.Malformed("provide only one config mount for annotation \"" + Annotations.XRAY_CONFIG_MOUNT + ": "
            + mount + "\"");
      }
      String[] pair = mount.split(":", -1);
      if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
        throw new Annotations.Malformed("malformed annotation \"" + Annotations.XRAY_CONFIG_MOUNT
            + "\", expected format: volumeName:mountPath");
      }
      String dir = pair[1].strip();
      b.withVolumeMounts(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName(pair[0].strip()).withMountPath(dir)
          .withReadOnly(true).build());
      b.withCommand("/xray", "--config", dir.replaceAll("[ /]+$", "") + "/xray-daemon.yaml");
      return b.build();
    }
    List<String> args = new ArrayList<>();
    if (!in.xrayDaemon().logLevel().equals("prod")) {
      args.addAll(List.of("--log-level", in.xrayDaemon().logLevel()));
    }
    if (!in.xrayDaemon().roleArn().isEmpty()) {
      args.addAll(List.of("--role-arn", in.xrayDaemon().roleArn()));
    }
    return b.withArgs(args).build();
  }
}
