package io.appmeshxds.translator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import io.appmeshxds.translator.input.Severity;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One invalid object per rule, added to a valid mesh: the object is rejected with the exact field
 * path and message, its condition is False with the expected reason, and every other object of the
 * mesh stays accepted.
 */
class InvalidObjectsTest {

  static final String BASE = TestManifests.resource("model/base.yaml");
  static final String LISTENER = "{portMapping: {port: 9898, protocol: http}}";
  static final String DNS = "serviceDiscovery: {dns: {hostname: x.demo.svc.cluster.local}}";

  static String doc(String kind, String name, String spec) {
    return "apiVersion: appmesh.k8s.aws/v1beta2\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: demo}\nspec: "
        + spec + "\n";
  }

  static String vn(String spec) {
    return doc("VirtualNode", "bad", spec);
  }

  static String vnListener(String listenerExtras) {
    return vn("{listeners: [{portMapping: {port: 9898, protocol: http}, " + listenerExtras + "}], " + DNS + "}");
  }

  static String vs(String spec) {
    return doc("VirtualService", "bad", spec);
  }

  static String vr(String routes) {
    return doc("VirtualRouter", "bad", "{listeners: [" + LISTENER + "], routes: " + routes + "}");
  }

  static String httpRoute(String match, String targets) {
    return "[{name: r, httpRoute: {match: " + match + ", action: {weightedTargets: " + targets + "}}}]";
  }

  static final String PRIMARY = "[{virtualNodeRef: {name: podinfo-primary}, weight: 100}]";

  static String gr(String spec) {
    return doc("GatewayRoute", "bad", spec);
  }

  static String grHttp(String match, String action) {
    return gr("{httpRoute: {match: " + match + ", action: " + action + "}}");
  }

  static final String TARGET = "{target: {virtualService: {virtualServiceRef: {name: podinfo}}}}";

  static String vg(String spec) {
    return doc("VirtualGateway", "bad", spec);
  }

  static String tls(String extra) {
    return "tls: {mode: STRICT, certificate: {file: {certificateChain: /c, privateKey: /k}}" + extra + "}";
  }

  static Arguments c(String yaml, String kind, String field, Reason reason, String message) {
    return Arguments.of(yaml, kind, field, reason, message);
  }

  static Stream<Arguments> cases() {
    String vnKind = "VirtualNode";
    String vrKind = "VirtualRouter";
    String grKind = "GatewayRoute";
    Reason invalid = Reason.InvalidSpec;
    Reason malformed = Reason.MalformedInput;
    return Stream.of(
        // ---- VirtualNode: CRD schema ------------------------------------------------------------
        c(vn("{listeners: [{portMapping: {port: 0, protocol: http}}], " + DNS + "}"), vnKind,
            "spec.listeners[0].portMapping.port", invalid, "must be between 1 and 65535 (got 0)"),
        c(vn("{listeners: [{portMapping: {port: 9898}}], " + DNS + "}"), vnKind,
            "spec.listeners[0].portMapping.protocol", invalid, "required"),
        c(vn("{listeners: [{portMapping: {port: \"9898\", protocol: http}}], " + DNS + "}"), vnKind,
            "spec.listeners[0].portMapping.port", malformed, "expected an integer"),
        c(vn("{listeners: [{portMapping: {port: 9898, protocol: htp}}], " + DNS + "}"), vnKind,
            "spec.listeners[0].portMapping.protocol", malformed, "unsupported value \"htp\"; supported values: grpc, http, http2, tcp"),
        c(vnListener("healthCheck: {healthyThreshold: 2, unhealthyThreshold: 2, intervalMillis: 1000, timeoutMillis: 2000, protocol: http}"),
            vnKind, "spec.listeners[0].healthCheck.intervalMillis", invalid, "must be between 5000 and 300000 (got 1000)"),
        c(vnListener("healthCheck: {unhealthyThreshold: 2, intervalMillis: 5000, timeoutMillis: 2000, protocol: http}"),
            vnKind, "spec.listeners[0].healthCheck.healthyThreshold", invalid, "required"),
        c(vnListener("outlierDetection: {maxServerErrors: 5, maxEjectionPercent: 150, interval: {unit: s, value: 10}, baseEjectionDuration: {unit: s, value: 30}}"),
            vnKind, "spec.listeners[0].outlierDetection.maxEjectionPercent", invalid, "must be between 0 and 100 (got 150)"),
        c(vnListener("outlierDetection: {maxServerErrors: 5, maxEjectionPercent: 50, interval: {unit: m, value: 10}, baseEjectionDuration: {unit: s, value: 30}}"),
            vnKind, "spec.listeners[0].outlierDetection.interval.unit", malformed, "unsupported value \"m\"; supported values: s, ms"),
        c(vnListener("tls: {mode: STRICT, certificate: {file: {certificateChain: \"\", privateKey: /k}}}"), vnKind,
            "spec.listeners[0].tls.certificate.file.certificateChain", invalid, "length must be between 1 and 255 (got 0)"),
        // ---- VirtualNode: webhook and API rules -------------------------------------------------
        c(vn("{listeners: [" + LISTENER + "]}"), vnKind, "spec.serviceDiscovery", invalid,
            "required when listeners are set (ServiceDiscovery must be specified when a listener is specified)"),
        c(vn("{listeners: [" + LISTENER + "], serviceDiscovery: {dns: {hostname: x}, awsCloudMap: {namespaceName: n, serviceName: s}}}"),
            vnKind, "spec.serviceDiscovery", invalid, "exactly one of awsCloudMap, dns must be set (found awsCloudMap, dns)"),
        c(vn("{listeners: [" + LISTENER + "], serviceDiscovery: {awsCloudMap: {namespaceName: n, serviceName: s, "
            + "attributes: [{key: '', value: blue}]}}}"), vnKind,
            "spec.serviceDiscovery.awsCloudMap.attributes[0].key", invalid, "length must be between 1 and 255 (got 0)"),
        c(vnListener("connectionPool: {http: {maxConnections: 10}, tcp: {maxConnections: 10}}"), vnKind,
            "spec.listeners[0].connectionPool", invalid, "Only one type of Virtual Node Connection Pool is allowed"),
        c(vnListener("connectionPool: {grpc: {maxRequests: 10}}"), vnKind, "spec.listeners[0].connectionPool.grpc", invalid,
            "connection pool type must match the listener protocol http"),
        c(vnListener("timeout: {tcp: {idle: {unit: s, value: 10}}}"), vnKind, "spec.listeners[0].timeout.tcp", invalid,
            "timeout type must match the listener protocol http"),
        c(vnListener("tls: {mode: STRICT, certificate: {acm: {certificateARN: arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/x}}}"),
            vnKind, "spec.listeners[0].tls.certificate.acm.certificateARN", invalid,
            "must be an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>), got "
                + "arn:aws:acm-pca:us-west-2:123456789012:certificate-authority/x"),
        c(vn("{backendDefaults: {clientPolicy: {tls: {validation: {trust: {acm: {certificateAuthorityARNs: [arn:aws:acm:us-west-2:123456789012:certificate/x]}}}}}}}"),
            vnKind, "spec.backendDefaults.clientPolicy.tls.validation.trust.acm.certificateAuthorityARNs[0]", invalid,
            "must be an ACM Private CA ARN (arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>), got "
                + "arn:aws:acm:us-west-2:123456789012:certificate/x"),
        c(vnListener("tls: {mode: STRICT, certificate: {}}"), vnKind, "spec.listeners[0].tls.certificate", invalid,
            "exactly one of acm, file, sds must be set (found none)"),
        c(vnListener(tls(", validation: {trust: {file: {certificateChain: /ca}, sds: {secretName: s}}}")), vnKind,
            "spec.listeners[0].tls.validation.trust", invalid, "exactly one of file, sds must be set (found file, sds)"),
        c(vn("{listeners: [" + LISTENER + ", " + LISTENER + "], " + DNS + "}"), vnKind, "spec.listeners[1].portMapping.port",
            invalid, "port 9898 is already used by listeners[0]"),
        c(vn("{backends: [{virtualService: {virtualServiceRef: {name: podinfo}, virtualServiceARN: arn:aws:appmesh:us-west-2:123456789012:mesh/appmesh/virtualService/podinfo.demo}}]}"),
            vnKind, "spec.backends[0].virtualService", invalid,
            "exactly one of virtualServiceRef, virtualServiceARN must be set (found virtualServiceRef, virtualServiceARN)"),
        c(vn("{backends: [{virtualService: {virtualServiceARN: arn:aws:appmesh:us-west-2:123456789012:mesh/appmesh/virtualNode/x}}]}"),
            vnKind, "spec.backends[0].virtualService.virtualServiceARN", invalid, "expects virtualService ARN, got virtualNode ARN"),
        c(vn("{backends: [{virtualService: {virtualServiceRef: {name: podinfo}}}, {virtualService: {virtualServiceRef: {name: podinfo, namespace: demo}}}]}"),
            vnKind, "spec.backends[1].virtualService", invalid, "duplicate backend: this virtual service is already listed"),
        c(vn("{backends: [{virtualService: {virtualServiceRef: {name: nope}}}]}"), vnKind,
            "spec.backends[0].virtualService.virtualServiceRef", Reason.ReferenceNotFound, "virtual service demo/nope not found"),
        c(vn("{backendDefaults: {clientPolicy: {tls: {ports: [70000], validation: {trust: {file: {certificateChain: /ca}}}}}}}"),
            vnKind, "spec.backendDefaults.clientPolicy.tls.ports[0]", invalid, "must be between 1 and 65535 (got 70000)"),
        c(vn("{backendDefaults: {clientPolicy: {tls: {validation: {trust: {file: {certificateChain: /ca}}, subjectAlternativeNames: {match: {exact: [\"*.demo\"]}}}}}}}"),
            vnKind, "spec.backendDefaults.clientPolicy.tls.validation.subjectAlternativeNames.match.exact[0]", invalid,
            "wildcard SANs are allowed only when the client policy is not enforced"),
        c(vn("{logging: {accessLog: {file: {path: /dev/stdout, format: {text: x, json: [{key: a, value: b}]}}}}}"), vnKind,
            "spec.logging.accessLog.file.format", invalid, "exactly one of json, text must be set (found json, text)"),
        c(vn("{logging: {accessLog: {file: {path: \"\"}}}}"), vnKind, "spec.logging.accessLog.file.path", invalid,
            "length must be between 1 and 255 (got 0)"),
        c(vn("{meshRef: {name: other, uid: x}}"), vnKind, "spec.meshRef.name", Reason.MeshNotFound, "mesh \"other\" not found"),
        c(vn("{awsName: podinfo-primary_demo}"), vnKind, "spec.awsName", Reason.NameConflict,
            "App Mesh name \"podinfo-primary_demo\" is already used by VirtualNode demo/podinfo-primary in mesh appmesh"),
        // ---- VirtualService ----------------------------------------------------------------------
        c(vs("{provider: {virtualNode: {virtualNodeRef: {name: podinfo-primary}}, virtualRouter: {virtualRouterRef: {name: podinfo}}}}"),
            "VirtualService", "spec.provider", invalid, "exactly one of virtualNode, virtualRouter must be set (found virtualNode, virtualRouter)"),
        c(vs("{provider: {virtualRouter: {virtualRouterRef: {name: nope}}}}"), "VirtualService",
            "spec.provider.virtualRouter.virtualRouterRef", Reason.ReferenceNotFound, "virtual router demo/nope not found"),
        c(vs("{provider: {virtualNode: {virtualNodeARN: arn:aws:appmesh:us-west-2:123456789012:mesh/appmesh/virtualRouter/podinfo_demo}}}"),
            "VirtualService", "spec.provider.virtualNode.virtualNodeARN", invalid, "expects virtualNode ARN, got virtualRouter ARN"),
        c(vs("{provider: {virtualNode: {virtualNodeARN: \"appmesh:podinfo\"}}}"), "VirtualService",
            "spec.provider.virtualNode.virtualNodeARN", invalid,
            "\"appmesh:podinfo\" is not an App Mesh ARN (arn:aws:appmesh:<region>:<account>:mesh/<mesh>/virtualNode/<name>)"),
        // ---- VirtualRouter -----------------------------------------------------------------------
        c(doc("VirtualRouter", "bad", "{listeners: [], routes: " + httpRoute("{prefix: /}", PRIMARY) + "}"), vrKind,
            "spec.listeners", malformed,
            "must have at least 1 item(s) (got 0): App Mesh's CRD rejects an empty list; leave the field out or list at least one"),
        c(vr(httpRoute("{prefix: /, headers: []}", PRIMARY)), vrKind, "spec.routes[0].httpRoute.match.headers", malformed,
            "must have at least 1 item(s) (got 0)"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}}}, {name: r, httpRoute: {match: {prefix: /a}, action: {weightedTargets: " + PRIMARY + "}}}]"),
            vrKind, "spec.routes[1].name", invalid, "duplicate route name \"r\" (also routes[0])"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}}, tcpRoute: {action: {weightedTargets: " + PRIMARY + "}}}]"),
            vrKind, "spec.routes[0]", invalid, "exactly one of grpcRoute, httpRoute, http2Route, tcpRoute must be set (found httpRoute, tcpRoute)"),
        c(vr(httpRoute("{prefix: /, path: {exact: /a}}", PRIMARY)), vrKind, "spec.routes[0].httpRoute.match", invalid,
            "Both Prefix and Path cannot be specified, only 1 allowed"),
        c(vr(httpRoute("{method: GET}", PRIMARY)), vrKind, "spec.routes[0].httpRoute.match", invalid, "Either Prefix or Path must be specified"),
        c(vr(httpRoute("{path: {exact: /a, regex: /b}}", PRIMARY)), vrKind, "spec.routes[0].httpRoute.match.path", invalid,
            "exactly one of exact, regex must be set (found exact, regex)"),
        c(vr(httpRoute("{prefix: api}", PRIMARY)), vrKind, "spec.routes[0].httpRoute.match.prefix", invalid, "must start with '/' (got \"api\")"),
        c(vr(httpRoute("{prefix: /, headers: [{name: user-agent, match: {regex: \"(?=.*Safari)(?!.*Chrome).*$\"}}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.headers[0].match.regex", invalid,
            "\"(?=.*Safari)(?!.*Chrome).*$\" is not a valid RE2 regular expression (Envoy would reject the route): invalid or unsupported Perl syntax"),
        c(vr(httpRoute("{prefix: /, headers: [{name: x, match: {exact: a, prefix: b}}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.headers[0].match", invalid, "exactly one of exact, prefix, range, regex, suffix must be set (found exact, prefix)"),
        c(vr(httpRoute("{prefix: /, headers: [{name: x, match: {range: {start: 5, end: 5}}}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.headers[0].match.range", invalid, "end has to be greater than start (start 5, end 5)"),
        c(vr(httpRoute("{prefix: /, headers: [" + "{name: h},".repeat(10) + "{name: h}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.headers", invalid, "must have between 1 and 10 item(s) (got 11)"),
        c(vr(httpRoute("{prefix: /, headers: [{name: \"" + "x".repeat(51) + "\"}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.headers[0].name", invalid, "length must be between 1 and 50 (got 51)"),
        c(vr(httpRoute("{prefix: /, queryParameters: [{name: q, match: {}}]}", PRIMARY)), vrKind,
            "spec.routes[0].httpRoute.match.queryParameters[0].match.exact", invalid, "required when match is set"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: podinfo-primary}, weight: 101}]")), vrKind,
            "spec.routes[0].httpRoute.action.weightedTargets[0].weight", invalid, "must be between 0 and 100 (got 101)"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: podinfo-primary}, weight: 0}]")), vrKind,
            "spec.routes[0].httpRoute.action.weightedTargets", invalid, "the total weight must be positive (all weights are 0)"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: podinfo-primary}, weight: 100}, {virtualNodeRef: {name: podinfo-canary}, weight: 50}]")),
            vrKind, "spec.routes[0].httpRoute.action.weightedTargets", invalid, "the total weight must be at most 100 (got 150)"),
        c(vr(httpRoute("{prefix: /}", "[" + "{virtualNodeRef: {name: podinfo-primary}, weight: 1},".repeat(10) + "{virtualNodeRef: {name: podinfo-primary}, weight: 1}]")),
            vrKind, "spec.routes[0].httpRoute.action.weightedTargets", invalid, "must have between 1 and 10 item(s) (got 11)"),
        c(vr(httpRoute("{prefix: /}", "[]")), vrKind, "spec.routes[0].httpRoute.action.weightedTargets", malformed,
            "must have at least 1 item(s) (got 0)"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {}}}]"), vrKind, "spec.routes[0].httpRoute.action.weightedTargets",
            invalid, "required"),
        c(vr("[{name: r, priority: 1001, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}}}]"), vrKind,
            "spec.routes[0].priority", invalid, "must be between 0 and 1000 (got 1001)"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}, retryPolicy: {maxRetries: 2, perRetryTimeout: {unit: ms, value: 100}}}}]"),
            vrKind, "spec.routes[0].httpRoute.retryPolicy", invalid, "specify at least one retry event (httpRetryEvents or tcpRetryEvents)"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}, retryPolicy: {maxRetries: 2, perRetryTimeout: {unit: ms, value: 100}, httpRetryEvents: [connect-failure]}}}]"),
            vrKind, "spec.routes[0].httpRoute.retryPolicy.httpRetryEvents[0]", malformed,
            "unsupported value \"connect-failure\"; supported values: server-error, gateway-error, client-error, stream-error"),
        c(vr("[{name: r, httpRoute: {match: {prefix: /}, action: {weightedTargets: " + PRIMARY + "}, timeout: {perRequest: {unit: ms, value: -1}}}}]"),
            vrKind, "spec.routes[0].httpRoute.timeout.perRequest.value", invalid, "must be at least 0 (got -1)"),
        c(doc("VirtualRouter", "bad", "{listeners: [{portMapping: {port: 9898, protocol: grpc}}], routes: [{name: r, grpcRoute: {match: {methodName: Check}, action: {weightedTargets: " + PRIMARY + "}}}]}"),
            vrKind, "spec.routes[0].grpcRoute.match.methodName", invalid, "requires match.serviceName"),
        c(vr("[{name: r, tcpRoute: {action: {weightedTargets: " + PRIMARY + "}}}]"), vrKind, "spec.routes[0].tcpRoute", invalid,
            "route type tcp does not match the router listener protocol http"),
        c(doc("VirtualRouter", "bad", "{listeners: [" + LISTENER + ", {portMapping: {port: 8080, protocol: http}}], routes: " + httpRoute("{prefix: /}", PRIMARY) + "}"),
            vrKind, "spec.routes[0].httpRoute.match.port", invalid, "required: the router has more than one listener"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: nope}, weight: 100}]")), vrKind,
            "spec.routes[0].httpRoute.action.weightedTargets[0].virtualNodeRef", Reason.ReferenceNotFound, "virtual node demo/nope not found"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: podinfo-primary}, weight: 100, port: 8080}]")), vrKind,
            "spec.routes[0].httpRoute.action.weightedTargets[0].port", invalid, "target virtual node demo/podinfo-primary has no listener on port 8080"),
        c(vr(httpRoute("{prefix: /}", "[{virtualNodeRef: {name: loadtester}, weight: 100}]")), vrKind,
            "spec.routes[0].httpRoute.action.weightedTargets[0].port", Reason.ReferenceNotActive, "target virtual node demo/loadtester has no listeners"),
        // ---- VirtualGateway ----------------------------------------------------------------------
        c(vg("{listeners: []}"), "VirtualGateway", "spec.listeners", invalid, "a virtual gateway needs at least one listener"),
        c(vg("{listeners: [{portMapping: {port: 8080, protocol: tcp}}]}"), "VirtualGateway", "spec.listeners[0].portMapping.protocol",
            malformed, "unsupported value \"tcp\"; supported values: grpc, http, http2"),
        c(vg("{listeners: [{portMapping: {port: 8080, protocol: http}, connectionPool: {http: {maxConnections: 1}, http2: {maxRequests: 1}}}]}"),
            "VirtualGateway", "spec.listeners[0].connectionPool", invalid, "Only one type of Virtual Gateway Connection Pool is allowed"),
        c(vg("{listeners: [{portMapping: {port: 8080, protocol: http}, " + tls(", validation: {trust: {acm: {certificateAuthorityARNs: [arn:x]}}}") + "}]}"),
            "VirtualGateway", "spec.listeners[0].tls.validation.trust.acm", invalid, "not allowed here: listener validation trusts only file or sds"),
        // ---- GatewayRoute ------------------------------------------------------------------------
        c(gr("{priority: 5}"), grKind, "spec", invalid, "Missing GatewayRoute Type: exactly one of grpcRoute, httpRoute, http2Route must be set"),
        c(gr("{httpRoute: {match: {prefix: /}, action: " + TARGET + "}, http2Route: {match: {prefix: /}, action: " + TARGET + "}}"),
            grKind, "spec", invalid, "Found multiple types: exactly one of grpcRoute, httpRoute, http2Route must be set"),
        c(grHttp("{method: GET}", TARGET), grKind, "spec.httpRoute.match", invalid, "at least one of prefix, path, hostname must be specified"),
        c(grHttp("{prefix: /, path: {exact: /a}}", TARGET), grKind, "spec.httpRoute.match", invalid,
            "Both Prefix and Path cannot be specified, only 1 allowed"),
        c(grHttp("{hostname: {exact: a.example.com, suffix: example.com}}", TARGET), grKind, "spec.httpRoute.match.hostname", invalid,
            "exactly one of exact, suffix must be set (found exact, suffix)"),
        c(grHttp("{prefix: /aws-appmesh/x}", TARGET), grKind, "spec.httpRoute.match.prefix", invalid,
            "prefixes /aws-appmesh* and /aws-app-mesh* are reserved"),
        c(grHttp("{prefix: /, headers: [{name: x, match: {}}]}", TARGET), grKind, "spec.httpRoute.match.headers[0].match", invalid,
            "exactly one of exact, prefix, range, regex, suffix must be set (found none)"),
        c(grHttp("{prefix: /test/}", "{target: {virtualService: {virtualServiceRef: {name: podinfo}}}, rewrite: {prefix: {value: /red}}}"),
            grKind, "spec.httpRoute.action.rewrite.prefix.value", invalid, "New Rewrite Prefix must start and end with '/'"),
        c(grHttp("{prefix: /test/}", "{target: {virtualService: {virtualServiceRef: {name: podinfo}}}, rewrite: {prefix: {value: /red/, defaultPrefix: ENABLED}}}"),
            grKind, "spec.httpRoute.action.rewrite.prefix", invalid, "defaultPrefix and value are mutually exclusive"),
        c(grHttp("{hostname: {exact: a.example.com}}", "{target: {virtualService: {virtualServiceRef: {name: podinfo}}}, rewrite: {prefix: {defaultPrefix: DISABLED}}}"),
            grKind, "spec.httpRoute.match.prefix", invalid, "Prefix to be matched on must start with '/' (required by a prefix rewrite)"),
        c(gr("{grpcRoute: {match: {metadata: [{name: x}]}, action: " + TARGET + "}}"), grKind, "spec.grpcRoute.match", invalid,
            "at least one of serviceName, hostname must be specified"),
        c(gr("{priority: -1, httpRoute: {match: {prefix: /}, action: " + TARGET + "}}"), grKind, "spec.priority", invalid,
            "must be between 0 and 1000 (got -1)"),
        c(grHttp("{prefix: /}", "{target: {virtualService: {virtualServiceRef: {name: nope}}}}"), grKind,
            "spec.httpRoute.action.target.virtualService.virtualServiceRef", Reason.ReferenceNotFound, "virtual service demo/nope not found"),
        // ---- Mesh and membership -----------------------------------------------------------------
        c("apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: bad}\nspec: {meshOwner: \"12345\"}\n", "Mesh",
            "spec.meshOwner", invalid, "must be a 12-digit AWS account ID"),
        c("apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: bad}\nspec: {egressFilter: {type: DENY}}\n", "Mesh",
            "spec.egressFilter.type", malformed, "unsupported value \"DENY\"; supported values: ALLOW_ALL, DROP_ALL"),
        c("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\n"
            + "apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: bad, namespace: other}\nspec: {}\n", vnKind,
            "metadata.namespace", Reason.MeshNotFound, "failed to find matching mesh for namespace: other, expecting 1 but found 0"),
        c("apiVersion: appmesh.k8s.aws/v1alpha1\nkind: VirtualNode\nmetadata: {name: bad, namespace: demo}\nspec: {}\n", vnKind,
            "apiVersion", malformed, "\"appmesh.k8s.aws/v1alpha1\" is not served; the served version is appmesh.k8s.aws/v1beta2"));
  }

  @ParameterizedTest(name = "[{index}] {1} {2}")
  @MethodSource("cases")
  void rejectsTheObjectWithFieldPathAndMessage(String yaml, String kind, String field, Reason reason, String message) {
    BuildResult r = new MeshModelBuilder().build(TestManifests.resources(BASE + "\n---\n" + yaml));
    ObjectRef ref = new ObjectRef(kind, kind.equals("Mesh") ? null : (yaml.contains("namespace: other") ? "other" : "demo"), "bad");
    ObjectStatus status = r.status().get(ref);
    assertThat(status).as("status of %s", ref).isNotNull();
    List<Problem> errors = status.problems().stream().filter(Problem::isError).toList();
    assertThat(errors).as("errors of %s", ref).extracting(Problem::field, Problem::message)
        .anySatisfy(t -> {
          assertThat(t.toList().get(0)).isEqualTo(field);
          assertThat((String) t.toList().get(1)).startsWith(message);
        });
    Problem p = errors.stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow();
    assertThat(p.reason()).isEqualTo(reason);
    // An unsupported feature rejects the object like an error, under its own severity (validate exit 3).
    assertThat(p.severity()).isEqualTo(reason == Reason.Unsupported ? Severity.UNSUPPORTED : Severity.ERROR);
    assertThat(status.condition().status()).isEqualTo("False");
    assertThat(status.condition().reason()).isEqualTo(errors.get(0).reason());
    assertThat(status.condition().message()).contains(field + ": " + message);
    // Nothing else is affected: every object of the base mesh is still accepted and served.
    BuildResult base = new MeshModelBuilder().build(TestManifests.resources(BASE));
    for (ObjectRef other : base.status().objects().keySet()) {
      assertThat(r.status().get(other).accepted()).as("%s still accepted", other).isTrue();
      assertThat(r.accepted()).containsKey(other);
    }
    assertThat(r.accepted()).doesNotContainKey(ref);
  }
}
