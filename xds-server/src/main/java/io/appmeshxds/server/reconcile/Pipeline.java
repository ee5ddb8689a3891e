package io.appmeshxds.server.reconcile;

import io.appmeshxds.translator.model.ComposabilityCheck;
import io.appmeshxds.translator.model.LocalRuleCache;
import io.appmeshxds.translator.model.MeshModelBuilder;
import io.appmeshxds.translator.model.ObjectValidator;
import io.appmeshxds.translator.plan.Planner;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.appmeshxds.translator.xds.XdsJson;
import java.util.List;

/**
 * What translation is made of in this process: the planner (sidecars, proxyless clients, gateways,
 * plan decorators such as tracing), the extension factories that build the protos of contributed
 * plan parts, and the checks modules contribute to validation.
 *
 * @param planner the planner
 * @param extensions extension factories
 * @param validators extra object checks run by the model builder (e.g. tracing annotations)
 * @param checks gateway-route checks run by the model builder (the gateway module's composability check)
 */
public record Pipeline(Planner planner, List<ExtensionFactory> extensions, List<ObjectValidator> validators,
    List<ComposabilityCheck> checks) {
  public Pipeline {
    extensions = List.copyOf(extensions);
    validators = List.copyOf(validators);
    checks = List.copyOf(checks);
  }

  public Pipeline(Planner planner, List<ExtensionFactory> extensions) {
    this(planner, extensions, List.of(), List.of());
  }

  public XdsJson json() {
    return new XdsJson(extensions);
  }

  /** A model builder with this pipeline's checks (one per owner: it keeps state between builds). */
  public MeshModelBuilder modelBuilder() {
    return new MeshModelBuilder(new LocalRuleCache(), validators, checks);
  }
}
