package io.appmeshxds.translator.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/** Big and hostile inputs for the untrusted-input tests, and a measure of what handling one costs this thread. */
public final class HostileInputs {
  private HostileInputs() {}

  /** What one load cost. */
  public record Cost(long cpuMs, long allocatedBytes) {
    @Override
    public String toString() {
      return String.format("cpu %d ms, allocated %.1f MB", cpuMs, allocatedBytes / 1e6);
    }
  }

  public static <T> T measured(String what, long cpuBudgetMs, long allocBudget, Callable<T> work) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long alloc0 = threads.getThreadAllocatedBytes(id);
    T out = work.call();
    Cost c = new Cost((threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000, threads.getThreadAllocatedBytes(id) - alloc0);
    System.out.printf("untrusted input %-34s %s (budget %d ms, %d MB)%n", what, c, cpuBudgetMs, allocBudget >> 20);
    assertThat(c.cpuMs()).as("CPU ms for %s", what).isLessThan(cpuBudgetMs);
    assertThat(c.allocatedBytes()).as("bytes allocated for %s", what).isLessThan(allocBudget);
    return out;
  }

  /** {@code services} VirtualNode + VirtualService + VirtualRouter triples in namespace demo: about 870 bytes each. */
  public static String mesh(int services) {
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: Namespace\nmetadata: {name: demo, labels: {mesh: m}}\n---\n"
        + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {namespaceSelector: {matchLabels: {mesh: m}}}\n");
    for (int i = 0; i < services; i++) {
      b.append("---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: svc").append(i)
          .append(", namespace: demo}\nspec:\n  podSelector: {matchLabels: {app: svc").append(i)
          .append("}}\n  listeners: [{portMapping: {port: 8080, protocol: http}}]\n  serviceDiscovery: {dns: {hostname: svc")
          .append(i).append(".demo.svc.cluster.local}}\n  backends: [{virtualService: {virtualServiceRef: {name: svc")
          .append((i + 1) % services).append("}}}]\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualService\n")
          .append("metadata: {name: svc").append(i).append(", namespace: demo}\nspec:\n  awsName: svc").append(i)
          .append(".demo.svc.cluster.local\n  provider: {virtualRouter: {virtualRouterRef: {name: svc").append(i)
          .append("}}}\n---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualRouter\nmetadata: {name: svc").append(i)
          .append(", namespace: demo}\nspec:\n  listeners: [{portMapping: {port: 8080, protocol: http}}]\n  routes:\n")
          .append("  - name: r\n    httpRoute:\n      match: {prefix: /}\n      action: {weightedTargets: [{virtualNodeRef: {name: svc")
          .append(i).append("}, weight: 1}]}\n");
    }
    return b.toString();
  }

}
