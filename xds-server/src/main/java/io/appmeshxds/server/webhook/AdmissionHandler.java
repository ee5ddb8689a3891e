package io.appmeshxds.server.webhook;

import io.appmeshxds.server.inject.Injector;
import io.appmeshxds.server.inject.MeshView;
import io.appmeshxds.server.inject.Outcome;
import io.appmeshxds.tracing.config.Injection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One AdmissionReview (v1) in, one out. Pod CREATE requests are injected; anything else is allowed
 * unchanged (App Mesh's pod mutator acted on create only: {@code webhooks/core/pod_mutator.go}
 * {@code MutateUpdate} returns the object). A request that cannot be read gets an answer all the
 * same: {@code allowed: false} with a status saying what was wrong; nothing in a request can make
 * the handler throw.
 */
public final class AdmissionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** Largest AdmissionReview read (the API server's request limit is 3 MiB; a review holds the object once here). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private final Injector injector;
  private final Injection.FailurePolicy policy;
  private final Supplier<MeshView> view;
  private final Counters counters;

  /** What happened to requests, for metrics. */
  public interface Counters {
    void count(String result);

    Counters NONE = r -> {};
  }

  /**
   * @param injector the mutation
   * @param policy what to answer while no mesh view exists (the control plane has not built yet)
   * @param view the latest build's view, or null before the first build
   * @param counters result counters
   */
  public AdmissionHandler(Injector injector, Injection.FailurePolicy policy, Supplier<MeshView> view, Counters counters) {
    this.injector = injector;
    this.policy = policy;
    this.view = view;
    this.counters = counters;
  }

  /** Answers one request body; never throws. */
  public byte[] handle(byte[] body) {
    ObjectNode review = JSON.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1");
    review.put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response");
    response.put("uid", "");
    try {
      if (body.length > MAX_BYTES) {
        return deny(review, response, 413, "the AdmissionReview is larger than " + MAX_BYTES + " bytes", "malformed");
      }
      JsonNode in;
      try {
        in = JSON.readTree(body);
      } catch (RuntimeException e) {
        return deny(review, response, 400, "the request is not JSON: " + firstLine(e.getMessage()), "malformed");
      }
      JsonNode request = in == null ? null : in.get("request");
      if (in == null || !in.isObject() || !"AdmissionReview".equals(in.path("kind").asString(""))
          || request == null || !request.isObject() || !request.path("uid").isString()) {
        return deny(review, response, 400, "not an AdmissionReview with a request and its uid", "malformed");
      }
      response.put("uid", request.path("uid").asString());
      if (!"admission.k8s.io/v1".equals(in.path("apiVersion").asString(""))) {
        return deny(review, response, 400, "only admission.k8s.io/v1 AdmissionReviews are served (admissionReviewVersions: [v1])",
            "malformed");
      }
      JsonNode kind = request.path("kind");
      if (!"CREATE".equals(request.path("operation").asString("")) || !"Pod".equals(kind.path("kind").asString(""))
          || !kind.path("group").asString("").isEmpty()) {
        counters.count("ignored");
        response.put("allowed", true);
        return bytes(review);
      }
      return pod(review, response, request);
    } catch (RuntimeException | StackOverflowError e) {
      LOG.error("webhook: internal error answering an AdmissionReview", e);
      return deny(review, response, 500, "internal error in appmesh-xds's injector: " + e, "error");
    }
  }

  private byte[] pod(ObjectNode review, ObjectNode response, JsonNode request) {
    String namespace = request.path("namespace").asString("");
    JsonNode raw = request.get("object");
    if (namespace.isEmpty() || raw == null || !raw.isObject()) {
      return deny(review, response, 400, "a pod CREATE request needs request.namespace and request.object", "malformed");
    }
    Pod pod;
    try {
      pod = SERIALIZATION.unmarshal(raw.toString(), Pod.class);
    } catch (RuntimeException e) {
      return deny(review, response, 400, "request.object is not a Pod: " + firstLine(e.getMessage()), "malformed");
    }
    String name = pod.getMetadata() == null ? "" : pod.getMetadata().getName() != null ? pod.getMetadata().getName()
        : String.valueOf(pod.getMetadata().getGenerateName());
    MeshView v = view.get();
    if (v == null) {
      String why = "appmesh-xds has not read the mesh yet (its first build after start is not done); retry shortly";
      LOG.warn("webhook: pod {}/{}: {}", namespace, name, why);
      if (policy == Injection.FailurePolicy.Fail) {
        return deny(review, response, 503, why, "not-ready");
      }
      counters.count("not-ready");
      response.put("allowed", true);
      response.putArray("warnings").add("created without an Envoy sidecar: " + why);
      return bytes(review);
    }
    Outcome o = injector.inject(pod, namespace, v);
    response.put("allowed", o.result() != Outcome.Result.REFUSED);
    switch (o.result()) {
      case REFUSED -> {
        LOG.warn("webhook: pod {}/{} refused: {}", namespace, name, o.message());
        return deny(review, response, 403, o.message(), "refused");
      }
      case INJECTED -> LOG.info("webhook: pod {}/{} injected as {}", namespace, name, o.nodeId());
      case UNCHANGED -> LOG.debug("webhook: pod {}/{} left alone: {}", namespace, name, o.message());
    }
    counters.count(o.result().name().toLowerCase(java.util.Locale.ROOT));
    if (o.pod() != pod) {
      JsonNode before = JSON.readTree(SERIALIZATION.asJson(pod));
      JsonNode after = JSON.readTree(SERIALIZATION.asJson(o.pod()));
      JsonNode patch = JsonDiff.asJson(before, after, EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION,
          DiffFlags.OMIT_VALUE_ON_REMOVE));
      if (!patch.isEmpty()) {
        response.put("patchType", "JSONPatch");
        response.put("patch", Base64.getEncoder().encodeToString(patch.toString().getBytes(StandardCharsets.UTF_8)));
      }
    }
    if (!o.warnings().isEmpty()) {
      ArrayNode w = response.putArray("warnings");
      // The API server takes warnings of at most 120 characters each (longer ones are truncated).
      o.warnings().forEach(w::add);
    }
    return bytes(review);
  }

  private byte[] deny(ObjectNode review, ObjectNode response, int code, String message, String counter) {
    counters.count(counter);
    response.put("allowed", false);
    ObjectNode status = response.putObject("status");
    status.put("code", code);
    status.put("message", "appmesh-xds: " + message);
    status.put("reason", code == 403 ? "Forbidden" : code == 503 ? "ServiceUnavailable" : code >= 500 ? "InternalError" : "BadRequest");
    return bytes(review);
  }

  private static byte[] bytes(ObjectNode review) {
    return review.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }

  /** The results a request can have (metric label values). */
  public static final List<String> RESULTS = List.of("injected", "unchanged", "refused", "ignored", "not-ready", "malformed", "error");
}
