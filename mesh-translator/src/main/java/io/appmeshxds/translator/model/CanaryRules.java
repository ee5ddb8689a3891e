package io.appmeshxds.translator.model;

import io.appmeshxds.translator.input.CanaryInfo;
import io.appmeshxds.translator.re2.Re2ProgramSize;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a Flagger Canary for the mistakes that made App Mesh setups fail only once they reached
 * the cluster: an apiVersion the CRD does not serve, the v1beta1 App Mesh provider, header regexes
 * Envoy would reject, and match entries Flagger's App Mesh router ANDs together.
 */
public final class CanaryRules {
  private CanaryRules() {}

  public static List<Problem> check(CanaryInfo c) {
    List<Problem> out = new ArrayList<>();
    if (!CanaryInfo.SERVED_API_VERSION.equals(c.apiVersion())) {
      out.add(problem(Severity.ERROR, Reason.MalformedInput, c, "apiVersion",
          "\"" + c.apiVersion() + "\" is not served by Flagger's Canary CRD; the served version is " + CanaryInfo.SERVED_API_VERSION
              + " (kustomize finds no target for such a patch, and the API server rejects the object)"));
    }
    String provider = c.provider();
    if ("appmesh".equals(provider)) {
      out.add(problem(Severity.WARNING, Reason.Accepted, c, "spec.provider",
          "\"appmesh\" makes Flagger write App Mesh v1beta1 objects, which nothing serves; use \"appmesh:v1beta2\" (the"
              + " objects checked here are the ones appmesh:v1beta2 creates)"));
    } else if (provider != null && provider.startsWith("appmesh:") && !provider.equals("appmesh:v1beta2")) {
      out.add(problem(Severity.ERROR, Reason.InvalidSpec, c, "spec.provider",
          "unknown App Mesh provider \"" + provider + "\"; use \"appmesh:v1beta2\""));
    }
    for (CanaryInfo.FieldValue r : c.headerRegexes()) {
      String why = Re2ProgramSize.whyRejected(r.value()); // measured, never compiled
      String doubt = why == null ? Re2ProgramSize.whyDoubtful(r.value()) : null;
      if (why != null) {
        out.add(problem(Severity.ERROR, Reason.InvalidSpec, c, r.field(),
            Re2ProgramSize.quote(r.value()) + " " + why + " (Flagger copies it into the VirtualRouter)"));
      } else if (doubt != null) {
        out.add(problem(Severity.WARNING, Reason.Accepted, c, r.field(),
            Re2ProgramSize.quote(r.value()) + ": " + doubt + " (Flagger copies it into the VirtualRouter)"));
      }
    }
    if (c.matchEntries() > 1) {
      out.add(problem(Severity.WARNING, Reason.Accepted, c, "spec.analysis.match",
          c.matchEntries() + " match entries: Flagger's App Mesh router ANDs all their headers into one route (not OR)"));
    }
    return out;
  }

  private static Problem problem(Severity s, Reason r, CanaryInfo c, String field, String message) {
    return new Problem(s, r, c.ref(), field, message, c.source());
  }
}
