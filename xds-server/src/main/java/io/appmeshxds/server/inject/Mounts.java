package io.appmeshxds.server.inject;

import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.Map;

/**
 * Volumes of the Envoy container: App Mesh's {@code secretMounts} and {@code volumeMounts}
 * annotations ({@code envoy.go} {@code mutateSecretMounts}, {@code mutateVolumeMounts}), the SDS
 * socket ({@code utils.go} {@code mutateSDSMounts}, volume {@code appmesh-sds-socket-volume}, a
 * {@code Socket} hostPath, unless {@code appmesh.k8s.aws/sds: disabled}), and ours: the Secret with
 * the files of {@code injection.xdsTls}.
 */
final class Mounts {
  private Mounts() {}

  static final String SDS_VOLUME = "appmesh-sds-socket-volume";
  static final String XDS_TLS_VOLUME = "appmesh-xds-tls";

  /** {@code isSDSDisabled}: only the value {@code disabled} opts out. */
  static boolean sds(Injection in, Map<String, String> a) {
    return in.envoy().sds().enabled() && !"disabled".equals(a.get(Annotations.SDS));
  }

  /** Annotation mounts (VirtualNode pods). */
  static void annotated(Pod pod, Container envoy, Map<String, String> a) throws Annotations.Malformed {
    for (var e : Annotations.mounts(a, Annotations.SECRET_MOUNTS, "secretName:mountPath").entrySet()) {
      addVolume(pod, new VolumeBuilder().withName(e.getKey()).withNewSecret().withSecretName(e.getKey()).endSecret().build());
      mount(envoy, e.getKey(), e.getValue(), true);
    }
    for (var e : Annotations.mounts(a, Annotations.VOLUME_MOUNTS, "volumeName:mountPath").entrySet()) {
      mount(envoy, e.getKey(), e.getValue(), true);
    }
  }

  /** The SDS socket and the xDS TLS Secret (VirtualNode and VirtualGateway pods). */
  static void common(Pod pod, Container envoy, Injection in, boolean sds) {
    if (sds) {
      String path = in.envoy().sds().socketPath();
      String name = SDS_VOLUME;
      for (Volume v : volumes(pod)) {
        if (v.getHostPath() != null && path.equals(v.getHostPath().getPath())) {
          name = v.getName(); // App Mesh left it unmounted; the socket is useless to Envoy unless mounted
        }
      }
      addVolume(pod, new VolumeBuilder().withName(name).withNewHostPath().withPath(path).withType("Socket").endHostPath().build());
      mount(envoy, name, path, false);
    }
    Injection.XdsTls tls = in.xdsTls();
    if (tls.enabled() && !tls.secretName().isEmpty()) {
      addVolume(pod, new VolumeBuilder().withName(XDS_TLS_VOLUME).withNewSecret().withSecretName(tls.secretName()).endSecret().build());
      mount(envoy, XDS_TLS_VOLUME, tls.mountPath(), true);
    } else if (tls.enabled() && !tls.csiDriver().isEmpty()) {
      // A per-pod certificate for the pod's service account (SPIFFE ID), renewed by the driver.
      addVolume(pod, new VolumeBuilder().withName(XDS_TLS_VOLUME).withNewCsi().withDriver(tls.csiDriver()).withReadOnly(true)
          .endCsi().build());
      mount(envoy, XDS_TLS_VOLUME, tls.mountPath(), true);
    }
  }

  private static java.util.List<Volume> volumes(Pod pod) {
    if (pod.getSpec().getVolumes() == null) {
      pod.getSpec().setVolumes(new ArrayList<>());
    }
    return pod.getSpec().getVolumes();
  }

  /** Adds a volume unless the pod has one of that name (a second would make the pod invalid). */
  private static void addVolume(Pod pod, Volume v) {
    if (volumes(pod).stream().noneMatch(x -> v.getName().equals(x.getName()))) {
      volumes(pod).add(v);
    }
  }

  private static void mount(Container c, String name, String path, boolean readOnly) {
    if (c.getVolumeMounts() == null) {
      c.setVolumeMounts(new ArrayList<>());
    }
    if (c.getVolumeMounts().stream().noneMatch(m -> path.equals(m.getMountPath()))) {
      c.getVolumeMounts().add(new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? true : null).build());
    }
  }
}
