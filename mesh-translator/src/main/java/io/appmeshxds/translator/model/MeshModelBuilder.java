package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.InputChanges;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;
import java.util.Map;

/**
 * Validates and resolves a snapshot of inputs into a {@link MeshModel} and a {@link StatusReport}.
 *
 * <p>Kinds are resolved in dependency order (Mesh, BackendGroup, VirtualNode, VirtualRouter,
 * VirtualService, VirtualGateway, GatewayRoute), so "the referenced object is active" is known when
 * it is needed. A rejected object never invalidates another by itself; objects that require it to
 * be active (a router's targets, a service's provider, a gateway route's target) report
 * ReferenceNotActive.
 *
 * <p>Contributed {@link ObjectValidator}s run on every object next to the built-in rules;
 * contributed {@link ComposabilityCheck}s run on each gateway route that passes every other rule,
 * against the mesh resolved so far. Their errors reject the object like any other rule's.
 *
 * <p>Last good: when the current version of an object is rejected and an earlier version that
 * still passes is known, the earlier version is served and the condition says so.
 *
 * <p>{@link #build} builds one snapshot from scratch. {@link #update} keeps state between calls and
 * evaluates only what a change can affect (see {@link ModelState}); its result equals a build from
 * scratch with the previous build's served versions as last good. Not thread-safe.
 */
public final class MeshModelBuilder {

  private final LocalRuleCache cache;
  private final List<ObjectValidator> validators;
  private final List<ComposabilityCheck> checks;
  private ModelState state;

  public MeshModelBuilder() {
    this(new LocalRuleCache());
  }

  public MeshModelBuilder(LocalRuleCache cache) {
    this(cache, List.of(), List.of());
  }

  /**
   * A builder that also runs {@code validators} on every object (after the built-in local rules)
   * and {@code checks} on every gateway route that passes the other rules (the gateway module
   * contributes one: can the route be composed with its target's routes?).
   */
  public MeshModelBuilder(LocalRuleCache cache, List<ObjectValidator> validators, List<ComposabilityCheck> checks) {
    this.cache = cache;
    this.validators = List.copyOf(validators);
    this.checks = List.copyOf(checks);
  }

  /** Builds from scratch without last-good versions. */
  public BuildResult build(MeshResources in) {
    return build(in, Map.of());
  }

  /** Builds from scratch; rejected objects fall back to their version in {@code lastGood} when that one passes. */
  public BuildResult build(MeshResources in, Map<ObjectRef, MeshObject> lastGood) {
    return new ModelState(cache, validators, checks).build(in, InputChanges.everything(), lastGood);
  }

  /**
   * Builds {@code in}, which differs from the snapshot of the previous call by {@code changes}
   * ({@link InputChanges#everything()} when unknown). Rejected objects fall back to the version the
   * previous call served. After an internal error the next call builds from scratch.
   */
  public BuildResult update(MeshResources in, InputChanges changes) {
    if (state == null) {
      state = new ModelState(cache, validators, checks);
    }
    return state.build(in, changes, null);
  }
}
