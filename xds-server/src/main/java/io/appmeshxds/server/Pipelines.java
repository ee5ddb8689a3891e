package io.appmeshxds.server;

import io.appmeshxds.server.reconcile.Pipeline;
import io.appmeshxds.translator.plan.Planner;
import java.util.List;

/** The translation pipeline this build ships: sidecars, proxyless clients (and the modules' parts). */
public final class Pipelines {
  private Pipelines() {}

  public static Pipeline standard() {
    return new Pipeline(new Planner(List.of(), List.of()), List.of());
  }
}
