package io.appmeshxds.gateway.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Descriptors.Descriptor;
import io.appmeshxds.gateway.plan.HealthCheckFilterPlan;
import io.appmeshxds.translator.plan.Dialect;
import io.appmeshxds.translator.plan.ExtensionPlan;
import io.appmeshxds.translator.xds.ExtensionFactory;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.http.health_check.v3.HealthCheck;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/** Builds {@link HealthCheckFilterPlan}: {@code envoy.filters.http.health_check}, not in pass-through mode. */
public final class HealthCheckFilterFactory implements ExtensionFactory {
  static final String NAME = "envoy.filters.http.health_check";

  @Override
  public boolean handles(ExtensionPlan plan) {
    return plan instanceof HealthCheckFilterPlan;
  }

  @Override
  public void applyHttp(ExtensionPlan plan, HttpConnectionManager.Builder hcm, Dialect dialect) {
    HealthCheckFilterPlan p = (HealthCheckFilterPlan) plan;
    HealthCheck hc = HealthCheck.newBuilder()
        .setPassThroughMode(BoolValue.of(false))
        .addHeaders(HeaderMatcher.newBuilder().setName(":path").setStringMatch(StringMatcher.newBuilder().setExact(p.path())))
        .build();
    hcm.addHttpFilters(HttpFilter.newBuilder().setName(NAME).setTypedConfig(Any.pack(hc)));
  }

  @Override
  public List<Descriptor> types() {
    return List.of(HealthCheck.getDescriptor());
  }
}
