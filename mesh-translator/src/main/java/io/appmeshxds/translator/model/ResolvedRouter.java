package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.PortProtocol;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.List;

/**
 * An accepted VirtualRouter with routes in evaluation order.
 *
 * <p>Order rule (documented in docs/routing.md): routes with a priority first, lowest number
 * first; routes without a priority after them; ties keep spec order.
 *
 * @param ref the object
 * @param awsName App Mesh name
 * @param router the object
 * @param routes routes in evaluation order
 */
public record ResolvedRouter(ObjectRef ref, String awsName, VirtualRouter router, List<Route> routes) {

  public ResolvedRouter {
    routes = List.copyOf(routes);
  }

  /** Routes serving one router listener port, in evaluation order. */
  public List<Route> routesForPort(long port) {
    return routes.stream().filter(r -> r.port() == port).toList();
  }

  /**
   * One route.
   *
   * @param name route name
   * @param priority priority or null
   * @param protocol route type
   * @param port the router listener port this route serves
   * @param spec the route as written
   * @param targets resolved weighted targets, in spec order
   */
  public record Route(
      String name, Long priority, PortProtocol protocol, long port, VirtualRouter.Route spec, List<Target> targets) {
    public Route {
      targets = List.copyOf(targets);
    }
  }

  /**
   * A weighted target.
   *
   * @param node the VirtualNode's awsName
   * @param port the node listener port
   * @param protocol that listener's protocol
   * @param weight 0–100
   */
  public record Target(String node, long port, PortProtocol protocol, long weight) {}
}
