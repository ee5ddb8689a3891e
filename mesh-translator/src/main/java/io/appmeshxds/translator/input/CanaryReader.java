package io.appmeshxds.translator.input;

import io.appmeshxds.translator.api.ObjectMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Flagger Canary document into {@link CanaryInfo}: what {@code validate} checks and what
 * Flagger's App Mesh router reads. Never throws: a field of the wrong type is recorded as unreadable
 * (Flagger's CRD would have the API server reject the Canary).
 */
final class CanaryReader {
  private final List<CanaryInfo.FieldValue> unreadable = new ArrayList<>();

  private CanaryReader() {}

  static CanaryInfo read(JsonNode doc, String apiVersion, ObjectMeta meta, SourceRef source) {
    return new CanaryReader().canary(doc, apiVersion, meta, source);
  }

  private CanaryInfo canary(JsonNode doc, String apiVersion, ObjectMeta meta, SourceRef source) {
    JsonNode spec = doc.path("spec");
    String analysisKey = spec.has("analysis") ? "analysis" : "canaryAnalysis";
    JsonNode analysis = spec.path(analysisKey);
    List<CanaryInfo.FieldValue> regexes = new ArrayList<>();
    List<CanaryInfo.Header> headers = new ArrayList<>();
    int i = 0;
    for (JsonNode match : analysis.path("match").values()) {
      for (Map.Entry<String, JsonNode> h : match.path("headers").properties()) {
        String at = "spec." + analysisKey + ".match[" + i + "].headers." + h.getKey();
        JsonNode m = h.getValue();
        String regex = string(m, "regex", at + ".regex");
        if (regex != null) {
          regexes.add(new CanaryInfo.FieldValue(at + ".regex", regex));
        }
        headers.add(new CanaryInfo.Header(h.getKey(), string(m, "exact", at + ".exact"), string(m, "prefix", at + ".prefix"),
            regex, string(m, "suffix", at + ".suffix")));
      }
      i++;
    }
    JsonNode target = spec.path("targetRef");
    String accessLog = meta.annotations().get(CanaryInfo.ACCESS_LOG_ANNOTATION);
    CanaryInfo.Router router = new CanaryInfo.Router(
        string(target, "kind", "spec.targetRef.kind"),
        string(target, "name", "spec.targetRef.name"),
        "enabled".equals(accessLog),
        service(spec.path("service")),
        headers,
        unreadable);
    return new CanaryInfo(
        new ObjectRef("Canary", meta.namespace(), meta.name()),
        apiVersion,
        string(spec, "provider", "spec.provider"),
        analysis.path("match").size(),
        regexes,
        source,
        router);
  }

  private CanaryInfo.Service service(JsonNode s) {
    String at = "spec.service";
    JsonNode targetPort = s.get("targetPort");
    Long target = targetPort != null && targetPort.isIntegralNumber() ? targetPort.longValue() : null;
    if (targetPort != null && !targetPort.isNull() && !targetPort.isNumber() && !targetPort.isString()) {
      unreadable.add(new CanaryInfo.FieldValue(at + ".targetPort", "an integer or a port name"));
    }
    JsonNode r = s.get("retries");
    CanaryInfo.Retries retries = r == null || r.isNull() ? null : new CanaryInfo.Retries(
        integer(r, "attempts", at + ".retries.attempts"),
        string(r, "perTryTimeout", at + ".retries.perTryTimeout"),
        string(r, "retryOn", at + ".retries.retryOn"));
    JsonNode uri = s.path("match").path(0).path("uri");
    JsonNode apex = s.path("apex");
    return new CanaryInfo.Service(
        string(s, "name", at + ".name"),
        integer(s, "port", at + ".port"),
        target,
        string(s, "portName", at + ".portName"),
        string(s, "timeout", at + ".timeout"),
        retries,
        string(uri, "prefix", at + ".match[0].uri.prefix"),
        strings(s, "backends", at + ".backends"),
        strings(s, "hosts", at + ".hosts"),
        map(apex, "labels", at + ".apex.labels"),
        map(apex, "annotations", at + ".apex.annotations"));
  }

  private String string(JsonNode n, String key, String field) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      unreadable.add(new CanaryInfo.FieldValue(field, "a string"));
      return null;
    }
    return v.stringValue();
  }

  private Long integer(JsonNode n, String key, String field) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber()) {
      unreadable.add(new CanaryInfo.FieldValue(field, "an integer"));
      return null;
    }
    return v.longValue();
  }

  private List<String> strings(JsonNode n, String key, String field) {
    JsonNode v = n.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      unreadable.add(new CanaryInfo.FieldValue(field, "a list of strings"));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i).isString()) {
        out.add(v.get(i).stringValue());
      } else {
        unreadable.add(new CanaryInfo.FieldValue(field + "[" + i + "]", "a string"));
      }
    }
    return out;
  }

  private Map<String, String> map(JsonNode n, String key, String field) {
    JsonNode v = n.get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      unreadable.add(new CanaryInfo.FieldValue(field, "a mapping of strings"));
      return out;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (e.getValue().isString()) {
        out.put(e.getKey(), e.getValue().stringValue());
      } else {
        unreadable.add(new CanaryInfo.FieldValue(field + "." + e.getKey(), "a string"));
      }
    }
    return out;
  }
}
