package io.appmeshxds.tracing.logs;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Logs on loopback, speaking the service's JSON protocol (awsJson1.1:
 * {@code POST /}, {@code X-Amz-Target: Logs_20140328.<Operation>},
 * {@code Content-Type: application/x-amz-json-1.1}, errors as HTTP 400/5xx with
 * {@code {"__type":"…","message":"…"}}). It keeps groups, streams and their events, and checks every
 * PutLogEvents against the API's rules (≤10,000 events, ≤1,048,576 bytes counting 26 per event,
 * each event ≤1 MB, chronological, span under 24 h): a violation is answered with
 * InvalidParameterException and recorded in {@link #violations}.
 */
final class FakeCloudWatch implements AutoCloseable {
  static final ObjectMapper JSON = JsonMapper.builder().build();

  record Event(long timestamp, String message) {}

  /** An accepted PutLogEvents call. */
  record Put(String group, String stream, List<Event> events, long bytes) {}

  /** A scripted answer; null lets the fake handle the call. */
  interface Script {
    Reply answer(String operation, JsonNode body);
  }

  /** A scripted reply. */
  record Reply(int status, String body) {
    static Reply error(int status, String type, String message) {
      return new Reply(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
    }
  }

  /** Which events of a batch to reject: {@code [tooOldEnd, expiredEnd, tooNewStart]}, -1 for none; or null. */
  interface Rejector {
    int[] reject(String group, String stream, List<Event> events);
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  final Map<String, Map<String, List<Event>>> groups = new ConcurrentHashMap<>();
  final Map<String, Integer> retention = new ConcurrentHashMap<>();
  final List<Put> puts = Collections.synchronizedList(new ArrayList<>());
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger putCalls = new AtomicInteger();
  volatile Script script = (op, body) -> null;
  volatile Rejector rejector = (g, s, e) -> null;

  FakeCloudWatch() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The real SDK client, against this server, with static test credentials. */
  CloudWatchLogsClient client() {
    return CloudWatchClients.builder("us-east-1", endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "SECRETTEST")))
        .build();
  }

  /** Every event a stream received, in arrival order. */
  List<Event> events(String group, String stream) {
    Map<String, List<Event>> g = groups.get(group);
    List<Event> l = g == null ? null : g.get(stream);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return new ArrayList<>(l);
    }
  }

  /** All events received, every stream. */
  List<Event> allEvents() {
    List<Event> out = new ArrayList<>();
    groups.values().forEach(g -> g.values().forEach(l -> {
      synchronized (l) {
        out.addAll(l);
      }
    }));
    return out;
  }

  List<Put> puts(String group, String stream) {
    synchronized (puts) {
      return puts.stream().filter(p -> p.group().equals(group) && p.stream().equals(stream)).toList();
    }
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String target = x.getRequestHeaders().getFirst("X-Amz-Target");
      String ct = x.getRequestHeaders().getFirst("Content-Type");
      byte[] in;
      try (InputStream is = x.getRequestBody()) {
        in = is.readAllBytes();
      }
      if (!"POST".equals(x.getRequestMethod()) || target == null || !target.startsWith("Logs_20140328.")
          || ct == null || !ct.startsWith("application/x-amz-json-1.1")
          || x.getRequestHeaders().getFirst("Authorization") == null) {
        violations.add("bad request: " + x.getRequestMethod() + " " + target + " " + ct);
        send(x, Reply.error(400, "SerializationException", "not a CloudWatch Logs JSON request"));
        return;
      }
      String op = target.substring("Logs_20140328.".length());
      calls.add(op);
      JsonNode body = JSON.readTree(in);
      Reply scripted = script.answer(op, body);
      send(x, scripted != null ? scripted : handle(op, body));
    } catch (RuntimeException e) {
      violations.add("fake server error: " + e);
      send(x, Reply.error(500, "InternalFailure", "fake: " + e));
    }
  }

  private Reply handle(String op, JsonNode b) {
    String group = b.path("logGroupName").asString();
    String stream = b.path("logStreamName").asString();
    switch (op) {
      case "CreateLogGroup" -> {
        if (groups.putIfAbsent(group, new ConcurrentHashMap<>()) != null) {
          return Reply.error(400, "ResourceAlreadyExistsException", "The specified log group already exists");
        }
        return new Reply(200, "{}");
      }
      case "CreateLogStream" -> {
        Map<String, List<Event>> g = groups.get(group);
        if (g == null) {
          return Reply.error(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        if (g.putIfAbsent(stream, new ArrayList<>()) != null) {
          return Reply.error(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
        }
        return new Reply(200, "{}");
      }
      case "PutRetentionPolicy" -> {
        if (!groups.containsKey(group)) {
          return Reply.error(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        retention.put(group, b.path("retentionInDays").asInt());
        return new Reply(200, "{}");
      }
      case "PutLogEvents" -> {
        putCalls.incrementAndGet();
        Map<String, List<Event>> g = groups.get(group);
        List<Event> s = g == null ? null : g.get(stream);
        if (s == null) {
          return Reply.error(400, "ResourceNotFoundException",
              g == null ? "The specified log group does not exist." : "The specified log stream does not exist.");
        }
        List<Event> events = new ArrayList<>();
        long bytes = 0;
        for (JsonNode e : b.path("logEvents")) {
          Event ev = new Event(e.path("timestamp").asLong(), e.path("message").asString());
          events.add(ev);
          int n = ev.message().getBytes(StandardCharsets.UTF_8).length;
          bytes += n + 26;
          if (n + 26 > 1_048_576) {
            return invalid("event of " + n + " bytes is larger than 1 MB");
          }
        }
        if (events.isEmpty() || events.size() > 10_000) {
          return invalid(events.size() + " events");
        }
        if (bytes > 1_048_576) {
          return invalid("batch of " + bytes + " bytes");
        }
        for (int i = 1; i < events.size(); i++) {
          if (events.get(i).timestamp() < events.get(i - 1).timestamp()) {
            return invalid("log events not in chronological order at index " + i);
          }
        }
        if (events.get(events.size() - 1).timestamp() - events.get(0).timestamp() > 24L * 3600 * 1000) {
          return invalid("batch spans more than 24 hours");
        }
        int[] r = rejector.reject(group, stream, events);
        int lo = 0;
        int hi = events.size();
        String info = "";
        if (r != null) {
          lo = Math.max(Math.max(r[0], r[1]), 0);
          hi = r[2] < 0 ? events.size() : r[2];
          Map<String, Object> m = new LinkedHashMap<>();
          if (r[0] >= 0) {
            m.put("tooOldLogEventEndIndex", r[0]);
          }
          if (r[1] >= 0) {
            m.put("expiredLogEventEndIndex", r[1]);
          }
          if (r[2] >= 0) {
            m.put("tooNewLogEventStartIndex", r[2]);
          }
          info = ",\"rejectedLogEventsInfo\":" + JSON.writeValueAsString(m);
        }
        synchronized (s) {
          s.addAll(events.subList(lo, Math.max(lo, hi)));
        }
        puts.add(new Put(group, stream, List.copyOf(events), bytes));
        return new Reply(200, "{\"nextSequenceToken\":\"" + putCalls.get() + "\"" + info + "}");
      }
      default -> {
        return Reply.error(400, "UnknownOperationException", op);
      }
    }
  }

  private Reply invalid(String why) {
    violations.add(why);
    return Reply.error(400, "InvalidParameterException", why);
  }

  private static void send(HttpExchange x, Reply r) throws IOException {
    byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    x.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    x.sendResponseHeaders(r.status(), out.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(out);
    }
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
