package io.appmeshxds.translator.plan;

/**
 * Adds to a finished plan (the tracing module adds tracing and access-log exporters to every HTTP
 * connection manager). Must be pure and return an equal plan for equal inputs, and must keep the
 * plan's virtual hosts, clusters and load assignments as it finds them (it may add clusters of its
 * own): a plan adapted by {@link ProxyPlanner#replan} replaces those in the decorated plan.
 */
public interface PlanDecorator {
  ProxyPlan decorate(ProxyPlan plan, PlanContext ctx);
}
