package io.appmeshxds.server.testing;

/** The apex router routes Flagger's App Mesh v1beta2 router writes in each phase. */
public final class Flagger {
  private Flagger() {}

  /** Progressive canary: one route, canary target first. */
  public static String weights(int canary) {
    return """
        - name: podinfo
          httpRoute:
            match:
              prefix: /
            action:
              weightedTargets:
                - virtualNodeRef:
                    name: podinfo-canary
                  weight: %d
                - virtualNodeRef:
                    name: podinfo-primary
                  weight: %d
        """.formatted(canary, 100 - canary);
  }

  /** A/B testing: podinfo-a (priority 10, user-agent regex) and podinfo-b (priority 20, primary). */
  public static String abTest(int canaryWeightOfA) {
    return """
        - name: podinfo-a
          priority: 10
          httpRoute:
            match:
              prefix: /
              headers:
                - name: user-agent
                  match:
                    regex: ".*(Firefox|curl).*"
            action:
              weightedTargets:
                - virtualNodeRef:
                    name: podinfo-canary
                  weight: %d
                - virtualNodeRef:
                    name: podinfo-primary
                  weight: %d
        - name: podinfo-b
          priority: 20
          httpRoute:
            match:
              prefix: /
            action:
              weightedTargets:
                - virtualNodeRef:
                    name: podinfo-primary
                  weight: 100
        """.formatted(canaryWeightOfA, 100 - canaryWeightOfA);
  }
}
