package io.appmeshxds.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS Cloud Map on loopback (127.0.0.1, a port the OS picks), speaking the service's JSON protocol
 * as the real SDK client calls it: awsJson1.1, {@code POST /}, {@code X-Amz-Target:
 * Route53AutoNaming_v20170314.<Operation>}, {@code Content-Type: application/x-amz-json-1.1};
 * errors are HTTP 400 (or 5xx) with {@code {"__type": "...", "Message": "..."}}.
 *
 * <p>It keeps namespaces, services and instances, and answers DiscoverInstances (attribute filter,
 * health filter for services with a custom health check, MaxResults 1-1000, default 100, no
 * paging: what the API does), RegisterInstance/DeregisterInstance (asynchronous operations, whose
 * GetOperation says SUBMITTED for {@link #pendingPolls} polls, then SUCCESS), ListInstances,
 * ListNamespaces, ListServices (paged, MaxResults ≤ 100), GetService, CreateService (idempotent on
 * CreatorRequestId), UpdateInstanceCustomHealthStatus and GetInstancesHealthStatus. Every call is
 * recorded with the access key id that signed it. Faults are scripted per call ({@link #script}).
 *
 * <p>Bounded: request bodies over 1 MiB are refused, at most 10,000 instances per service, four
 * handler threads.
 */
public final class FakeCloudMap implements AutoCloseable {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String PREFIX = "Route53AutoNaming_v20170314.";
  private static final int MAX_BODY = 1 << 20;
  private static final int MAX_INSTANCES = 10_000;
  private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");

  /** One call as received. */
  public record Call(String operation, JsonNode body, String accessKeyId) {}

  /** A scripted reply (status and JSON body). */
  public record Reply(int status, String body) {
    /** An AWS error as Cloud Map returns it. */
    public static Reply error(int status, String type, String message) {
      return new Reply(status, "{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}");
    }
  }

  /** A scripted answer; null lets the fake handle the call. */
  public interface Script {
    Reply answer(String operation, JsonNode body);
  }

  /** A namespace. */
  public record Namespace(String id, String name, String type) {}

  /** A service. */
  public record Service(String id, String name, String namespaceId, boolean customHealthCheck, String creatorRequestId,
      JsonNode dnsConfig) {}

  /** A registered instance. */
  public record Instance(String id, Map<String, String> attributes, String health) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Map<String, Map<String, Instance>> instances = new LinkedHashMap<>();
  private final Map<String, int[]> operations = new LinkedHashMap<>();
  private final Map<String, ObjectNode> operationBodies = new LinkedHashMap<>();
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger ids = new AtomicInteger();
  /** GetOperation answers SUBMITTED this many times before SUCCESS. */
  public volatile int pendingPolls;
  /** Scripted faults, checked before the fake handles a call. */
  public volatile Script script = (op, body) -> null;

  public FakeCloudMap() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  /** The endpoint to put in {@code aws.endpoints.servicediscovery}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Cloud Map as the control plane calls it, pointed here: the real SDK client that {@link
   * io.appmeshxds.server.aws.AwsClients} builds (endpoint override, region us-west-2, SDK retries
   * off), signed with {@code accessKeyId} (so calls show who made them).
   */
  public io.appmeshxds.server.cloudmap.CloudMapSetup setup(io.appmeshxds.tracing.config.CloudMapConfig config,
      java.time.Clock clock, boolean driven, String accessKeyId) {
    io.appmeshxds.server.aws.AwsClients clients = new io.appmeshxds.server.aws.AwsClients(
        new io.appmeshxds.tracing.config.ControlPlaneConfig.Aws("us-west-2",
            new io.appmeshxds.tracing.config.ControlPlaneConfig.AwsEndpoints(endpoint(), "", ""), config, null),
        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(accessKeyId, "not-a-real-secret")));
    return new io.appmeshxds.server.cloudmap.CloudMapSetup(config, clients::serviceDiscoveryWithoutRetries, clock, driven,
        clients);
  }

  // ---- set-up and inspection (thread-safe) ----

  public synchronized Namespace namespace(String name, String type) {
    Namespace ns = new Namespace("ns-" + ids.incrementAndGet(), name, type);
    namespaces.put(ns.id(), ns);
    return ns;
  }

  public synchronized Service service(Namespace ns, String name, boolean customHealthCheck) {
    Service s = new Service("srv-" + ids.incrementAndGet(), name, ns.id(), customHealthCheck, null, null);
    services.put(s.id(), s);
    instances.put(s.id(), new LinkedHashMap<>());
    return s;
  }

  /** Registers (or replaces) an instance directly, as another registrant would. */
  public synchronized void put(Service s, String id, Map<String, String> attributes) {
    instances.get(s.id()).put(id, new Instance(id, Map.copyOf(attributes), s.customHealthCheck() ? "HEALTHY" : "UNKNOWN"));
  }

  public synchronized void remove(Service s, String id) {
    instances.get(s.id()).remove(id);
  }

  public synchronized Map<String, Instance> instances(Service s) {
    return new TreeMap<>(instances.getOrDefault(s.id(), Map.of()));
  }

  public synchronized List<Service> services() {
    return List.copyOf(services.values());
  }

  public synchronized Service service(String namespaceName, String name) {
    for (Service s : services.values()) {
      Namespace ns = namespaces.get(s.namespaceId());
      if (s.name().equals(name) && ns != null && ns.name().equals(namespaceName)) {
        return s;
      }
    }
    return null;
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Calls of one operation. */
  public List<Call> calls(String operation) {
    return calls().stream().filter(c -> c.operation().equals(operation)).toList();
  }

  public void clearCalls() {
    calls.clear();
  }

  /** Answers the next {@code n} calls of {@code operation} (those {@code which} accepts) with an error, then the fake again. */
  public void failNext(String operation, int n, Predicate<JsonNode> which, Reply reply) {
    AtomicInteger left = new AtomicInteger(n);
    Script before = script;
    script = (op, body) -> {
      if (op.equals(operation) && which.test(body) && left.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
        return reply;
      }
      return before.answer(op, body);
    };
  }

  /** Every call of {@code operation} fails with HTTP 503 while {@code down} (an outage of that API). */
  public void outage(String operation, boolean down) {
    script = down
        ? (op, body) -> op.equals(operation) ? Reply.error(503, "ServiceUnavailable", "Service unavailable (simulated outage)") : null
        : (op, body) -> null;
  }

  // ---- the protocol ----

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (!"POST".equals(ex.getRequestMethod()) || target == null || !target.startsWith(PREFIX)
          || type == null || !type.startsWith("application/x-amz-json-1.1")) {
        reply(ex, Reply.error(400, "UnknownOperationException", "not an awsJson1.1 Cloud Map call"));
        return;
      }
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readNBytes(MAX_BODY + 1);
      }
      if (raw.length > MAX_BODY) {
        reply(ex, Reply.error(413, "RequestEntityTooLarge", "request body over 1 MiB"));
        return;
      }
      String op = target.substring(PREFIX.length());
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Matcher m = ACCESS_KEY.matcher(auth == null ? "" : auth);
      calls.add(new Call(op, body, m.find() ? m.group(1) : null));
      Reply scripted = script.answer(op, body);
      reply(ex, scripted != null ? scripted : answer(op, body));
    } catch (RuntimeException e) {
      reply(ex, Reply.error(500, "InternalFailure", String.valueOf(e.getMessage()).replace('"', '\'')));
    }
  }

  private static void reply(HttpExchange ex, Reply r) throws IOException {
    byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    ex.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(r.status(), out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  private synchronized Reply answer(String op, JsonNode b) {
    return switch (op) {
      case "DiscoverInstances" -> discover(b);
      case "RegisterInstance" -> register(b);
      case "DeregisterInstance" -> deregister(b);
      case "GetOperation" -> getOperation(b);
      case "ListInstances" -> listInstances(b);
      case "ListNamespaces" -> listNamespaces(b);
      case "ListServices" -> listServices(b);
      case "GetService" -> getService(b);
      case "CreateService" -> createService(b);
      case "UpdateInstanceCustomHealthStatus" -> updateHealth(b);
      case "GetInstancesHealthStatus" -> healthStatus(b);
      default -> Reply.error(400, "UnknownOperationException", "unknown operation " + op);
    };
  }

  private Reply discover(JsonNode b) {
    String nsName = text(b, "NamespaceName");
    String name = text(b, "ServiceName");
    int max = b.has("MaxResults") ? b.get("MaxResults").asInt() : 100;
    if (nsName == null || name == null || max < 1 || max > 1000) {
      return Reply.error(400, "InvalidInput", "NamespaceName and ServiceName are required; MaxResults must be 1-1000");
    }
    if (namespaces.values().stream().noneMatch(n -> n.name().equals(nsName))) {
      return Reply.error(400, "NamespaceNotFound", "No namespace found with name " + nsName);
    }
    Service s = service(nsName, name);
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with name " + name);
    }
    Map<String, String> query = new TreeMap<>();
    if (b.has("QueryParameters")) {
      b.get("QueryParameters").properties().forEach(e -> query.put(e.getKey(), e.getValue().asString()));
    }
    String health = b.has("HealthStatus") ? b.get("HealthStatus").asString() : "HEALTHY";
    List<Instance> matching = new ArrayList<>();
    for (Instance i : instances.get(s.id()).values()) {
      if (query.entrySet().stream().allMatch(e -> e.getValue().equals(i.attributes().get(e.getKey())))) {
        matching.add(i);
      }
    }
    List<Instance> out = matching;
    if (s.customHealthCheck()) {
      List<Instance> healthy = matching.stream().filter(i -> i.health().equals("HEALTHY")).toList();
      out = switch (health) {
        case "HEALTHY" -> healthy;
        case "UNHEALTHY" -> matching.stream().filter(i -> i.health().equals("UNHEALTHY")).toList();
        case "HEALTHY_OR_ELSE_ALL" -> healthy.isEmpty() ? matching : healthy;
        default -> matching;
      };
    }
    ObjectNode r = JSON.createObjectNode();
    ArrayNode arr = r.putArray("Instances");
    for (Instance i : out.subList(0, Math.min(max, out.size()))) {
      ObjectNode o = arr.addObject();
      o.put("InstanceId", i.id());
      o.put("NamespaceName", nsName);
      o.put("ServiceName", name);
      o.put("HealthStatus", s.customHealthCheck() ? i.health() : "UNKNOWN");
      ObjectNode a = o.putObject("Attributes");
      new TreeMap<>(i.attributes()).forEach(a::put);
    }
    r.put("InstancesRevision", 1);
    return ok(r);
  }

  private Reply register(JsonNode b) {
    Service s = services.get(text(b, "ServiceId"));
    String id = text(b, "InstanceId");
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "ServiceId"));
    }
    if (id == null || id.isEmpty() || id.length() > 64 || !b.has("Attributes")) {
      return Reply.error(400, "InvalidInput", "InstanceId (1-64) and Attributes are required");
    }
    Map<String, String> attrs = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : b.get("Attributes").properties()) {
      if (e.getKey().length() > 255 || e.getValue().asString().length() > 1024) {
        return Reply.error(400, "InvalidInput", "attribute key or value too long");
      }
      attrs.put(e.getKey(), e.getValue().asString());
    }
    Map<String, Instance> m = instances.get(s.id());
    if (!m.containsKey(id) && m.size() >= MAX_INSTANCES) {
      return Reply.error(400, "ResourceLimitExceeded", "too many instances");
    }
    String health = s.customHealthCheck() ? attrs.getOrDefault("AWS_INIT_HEALTH_STATUS", "HEALTHY") : "UNKNOWN";
    m.put(id, new Instance(id, Map.copyOf(attrs), health));
    return operation("REGISTER_INSTANCE", s.id(), id);
  }

  private Reply deregister(JsonNode b) {
    Service s = services.get(text(b, "ServiceId"));
    String id = text(b, "InstanceId");
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "ServiceId"));
    }
    if (instances.get(s.id()).remove(id) == null) {
      return Reply.error(400, "InstanceNotFound", "No instance found with id " + id);
    }
    return operation("DEREGISTER_INSTANCE", s.id(), id);
  }

  private Reply operation(String type, String serviceId, String instanceId) {
    String opId = "op-" + ids.incrementAndGet();
    operations.put(opId, new int[] {pendingPolls});
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", opId);
    o.put("Type", type);
    o.put("CreateDate", System.currentTimeMillis() / 1000.0);
    ObjectNode t = o.putObject("Targets");
    t.put("SERVICE", serviceId);
    t.put("INSTANCE", instanceId);
    operationBodies.put(opId, o);
    ObjectNode r = JSON.createObjectNode();
    r.put("OperationId", opId);
    return ok(r);
  }

  private Reply getOperation(JsonNode b) {
    String opId = text(b, "OperationId");
    int[] left = operations.get(opId);
    if (left == null) {
      return Reply.error(400, "OperationNotFound", "No operation found with id " + opId);
    }
    ObjectNode o = operationBodies.get(opId).deepCopy();
    o.put("Status", left[0] > 0 ? "SUBMITTED" : "SUCCESS");
    o.put("UpdateDate", System.currentTimeMillis() / 1000.0);
    left[0] = Math.max(0, left[0] - 1);
    ObjectNode r = JSON.createObjectNode();
    r.set("Operation", o);
    return ok(r);
  }

  private Reply listInstances(JsonNode b) {
    Service s = services.get(text(b, "ServiceId"));
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "ServiceId"));
    }
    return page(b, new ArrayList<>(instances.get(s.id()).values()), "Instances", (arr, i) -> {
      ObjectNode o = arr.addObject();
      o.put("Id", i.id());
      ObjectNode a = o.putObject("Attributes");
      new TreeMap<>(i.attributes()).forEach(a::put);
    });
  }

  private Reply listNamespaces(JsonNode b) {
    return page(b, new ArrayList<>(namespaces.values()), "Namespaces", (arr, n) -> {
      ObjectNode o = arr.addObject();
      o.put("Id", n.id());
      o.put("Arn", "arn:aws:servicediscovery:us-west-2:111122223333:namespace/" + n.id());
      o.put("Name", n.name());
      o.put("Type", n.type());
    });
  }

  private Reply listServices(JsonNode b) {
    String nsId = null;
    if (b.has("Filters")) {
      for (JsonNode f : b.get("Filters")) {
        if ("NAMESPACE_ID".equals(text(f, "Name")) && f.has("Values") && f.get("Values").size() > 0) {
          nsId = f.get("Values").get(0).asString();
        }
      }
    }
    String ns = nsId;
    List<Service> list = services.values().stream().filter(s -> ns == null || s.namespaceId().equals(ns)).toList();
    return page(b, new ArrayList<>(list), "Services", (arr, s) -> arr.add(summary(s)));
  }

  private Reply getService(JsonNode b) {
    Service s = services.get(text(b, "Id"));
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "Id"));
    }
    ObjectNode r = JSON.createObjectNode();
    r.set("Service", summary(s));
    return ok(r);
  }

  private Reply createService(JsonNode b) {
    String name = text(b, "Name");
    String nsId = text(b, "NamespaceId");
    String creator = text(b, "CreatorRequestId");
    Namespace ns = namespaces.get(nsId);
    if (ns == null) {
      return Reply.error(400, "NamespaceNotFound", "No namespace found with id " + nsId);
    }
    for (Service s : services.values()) {
      if (s.namespaceId().equals(nsId) && s.name().equals(name)) {
        if (creator != null && creator.equals(s.creatorRequestId())) {
          ObjectNode r = JSON.createObjectNode();
          r.set("Service", summary(s));
          return ok(r);
        }
        return Reply.error(400, "ServiceAlreadyExists", "Service already exists: " + name);
      }
    }
    Service s = new Service("srv-" + ids.incrementAndGet(), name, nsId, b.has("HealthCheckCustomConfig"), creator,
        b.get("DnsConfig"));
    services.put(s.id(), s);
    instances.put(s.id(), new LinkedHashMap<>());
    ObjectNode r = JSON.createObjectNode();
    r.set("Service", summary(s));
    return ok(r);
  }

  private Reply updateHealth(JsonNode b) {
    Service s = services.get(text(b, "ServiceId"));
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "ServiceId"));
    }
    if (!s.customHealthCheck()) {
      return Reply.error(400, "CustomHealthNotFound", "the service has no custom health check");
    }
    Instance i = instances.get(s.id()).get(text(b, "InstanceId"));
    if (i == null) {
      return Reply.error(400, "InstanceNotFound", "No instance found with id " + text(b, "InstanceId"));
    }
    instances.get(s.id()).put(i.id(), new Instance(i.id(), i.attributes(), text(b, "Status")));
    return ok(JSON.createObjectNode());
  }

  private Reply healthStatus(JsonNode b) {
    Service s = services.get(text(b, "ServiceId"));
    if (s == null) {
      return Reply.error(400, "ServiceNotFound", "No service found with id " + text(b, "ServiceId"));
    }
    ObjectNode r = JSON.createObjectNode();
    ObjectNode st = r.putObject("Status");
    instances.get(s.id()).values().forEach(i -> st.put(i.id(), s.customHealthCheck() ? i.health() : "UNKNOWN"));
    return ok(r);
  }

  private ObjectNode summary(Service s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("Id", s.id());
    o.put("Arn", "arn:aws:servicediscovery:us-west-2:111122223333:service/" + s.id());
    o.put("Name", s.name());
    o.put("NamespaceId", s.namespaceId());
    if (s.creatorRequestId() != null) {
      o.put("CreatorRequestId", s.creatorRequestId());
    }
    if (s.customHealthCheck()) {
      o.putObject("HealthCheckCustomConfig").put("FailureThreshold", 1);
    }
    if (s.dnsConfig() != null) {
      o.set("DnsConfig", s.dnsConfig());
    }
    return o;
  }

  /** One page of {@code all}: MaxResults (1-100, default 100) from NextToken (an offset here). */
  private <T> Reply page(JsonNode b, List<T> all, String field, java.util.function.BiConsumer<ArrayNode, T> write) {
    int max = b.has("MaxResults") ? b.get("MaxResults").asInt() : 100;
    if (max < 1 || max > 100) {
      return Reply.error(400, "InvalidInput", "MaxResults must be 1-100");
    }
    int from = b.has("NextToken") ? Integer.parseInt(b.get("NextToken").asString()) : 0;
    ObjectNode r = JSON.createObjectNode();
    ArrayNode arr = r.putArray(field);
    int to = Math.min(all.size(), from + max);
    for (T t : all.subList(Math.min(from, to), to)) {
      write.accept(arr, t);
    }
    if (to < all.size()) {
      r.put("NextToken", String.valueOf(to));
    }
    return ok(r);
  }

  private static Reply ok(JsonNode r) {
    return new Reply(200, r.toString());
  }

  private static String text(JsonNode b, String field) {
    return b.has(field) && !b.get(field).isNull() ? b.get(field).asString() : null;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
