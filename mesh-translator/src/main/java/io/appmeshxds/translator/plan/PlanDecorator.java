package io.appmeshxds.translator.plan;

/**
 * Adds to a finished plan (the tracing module adds tracing and access-log exporters to every HTTP
 * connection manager). Must be pure and return an equal plan for equal inputs.
 */
public interface PlanDecorator {
  ProxyPlan decorate(ProxyPlan plan, PlanContext ctx);
}
