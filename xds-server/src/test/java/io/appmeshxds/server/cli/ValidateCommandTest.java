package io.appmeshxds.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.appmeshxds.translator.TestManifests;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class ValidateCommandTest {

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  static Run run(String stdin, String... args) {
    ValidateCommand cmd = new ValidateCommand();
    if (stdin != null) {
      cmd.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    }
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
      @Override
      @SuppressWarnings("unchecked")
      public <K> K create(Class<K> cls) throws Exception {
        return cls == ValidateCommand.class ? (K) cmd : defaults.create(cls);
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "validate";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cl.execute(full);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void stdinWithTheUsersTwoMistakesPrintsBothAndExits1() {
    Run r = run(TestManifests.resource("validate/user-mistake.yaml"), "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).containsExactly(
        "- document 6: VirtualRouter demo/frontend: spec.routes[0].httpRoute.match.headers[0].match.regex: "
            + "\"(?=.*Safari)(?!.*Chrome).*$\" is not a valid RE2 regular expression (Envoy would reject the route): "
            + "invalid or unsupported Perl syntax",
        "- document 7: Canary demo/podinfo: apiVersion: \"flagger.app/v1beta2\" is not served by Flagger's Canary CRD; the served "
            + "version is flagger.app/v1beta1 (kustomize finds no target for such a patch, and the API server rejects the object)");
    assertThat(r.err()).contains("2 error(s), 0 warning(s)");
  }

  @Test
  void bundledExampleIsValid() {
    Run r = run(null, Path.of("..", "deploy", "examples", "podinfo").toString());
    assertThat(r.lines()).isEmpty();
    assertThat(r.code()).isZero();
  }

  @Test
  void jsonOutputHasOneObjectPerProblem() {
    Run r = run(TestManifests.resource("validate/user-mistake.yaml"), "--output", "json", "-");
    assertThat(r.code()).isEqualTo(1);
    List<Map<String, String>> rows = JsonMapper.shared().readValue(r.out(), new TypeReference<>() {});
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "source", "- document 7", "kind", "Canary", "namespace", "demo", "name", "podinfo", "field", "apiVersion",
        "severity", "error", "message", rows.get(1).get("message")));
    assertThat(rows.get(0)).containsEntry("field", "spec.routes[0].httpRoute.match.headers[0].match.regex")
        .containsEntry("kind", "VirtualRouter");
  }

  @Test
  void warningsAloneExit0(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("canary.yaml");
    Files.writeString(f, MESH + "---\napiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo, namespace: demo}\n"
        + "spec: {provider: appmesh, targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}, service: {port: 9898},"
        + " analysis: {interval: 15s}}\n");
    Run r = run(null, f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.lines()).containsExactly(f + " document 3: Canary demo/podinfo: spec.provider: warning: \"appmesh\" makes Flagger "
        + "write App Mesh v1beta1 objects, which nothing serves; use \"appmesh:v1beta2\" (the objects checked here are the"
        + " ones appmesh:v1beta2 creates)");
  }

  static final String MESH = "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata: {name: m}\nspec: {namespaceSelector: {}}\n"
      + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n";

  /**
   * A gateway route to a service of another account's mesh: App Mesh accepted it (the route was
   * served by the other account's shared mesh); this control plane cannot serve it.
   */
  static String remoteRoute(String name) {
    return "---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualGateway\nmetadata: {name: gw, namespace: demo}\n"
        + "spec: {namespaceSelector: {}, listeners: [{portMapping: {port: 8080, protocol: http}}]}\n"
        + "---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: GatewayRoute\nmetadata: {name: " + name + ", namespace: demo}\n"
        + "spec: {httpRoute: {match: {prefix: /remote}, action: {target: {virtualService: {virtualServiceARN: "
        + "\"arn:aws:appmesh:us-west-2:444455556666:mesh/backend-mesh/virtualService/yelb-appserver.yelb\"}}}}}\n";
  }

  @Test
  void unsupportedFeaturesAloneExit3WithTheirOwnSeverity() {
    Run r = run(MESH + remoteRoute("remote"), "-");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.lines()).singleElement().satisfies(l -> assertThat(l).startsWith(
        "- document 4: GatewayRoute demo/remote: spec.httpRoute.action.target.virtualService.virtualServiceARN: unsupported: ")
        .contains("yelb-appserver.yelb", "backend-mesh", "not served here"));
    assertThat(r.err()).contains("0 error(s), 0 warning(s), 1 unsupported");
    List<Map<String, String>> rows =
        JsonMapper.shared().readValue(run(MESH + remoteRoute("remote"), "--output", "json", "-").out(), new TypeReference<>() {});
    assertThat(rows).singleElement().satisfies(row -> assertThat(row).containsEntry("severity", "unsupported"));
  }

  @Test
  void anErrorBesideAnUnsupportedFeatureStillExits1() {
    String badPort = "---\napiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: bad, namespace: demo}\n"
        + "spec: {listeners: [{portMapping: {port: 0, protocol: http}}], serviceDiscovery: {dns: {hostname: bad.demo}}}\n";
    Run r = run(MESH + remoteRoute("remote") + badPort, "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("1 error(s), 0 warning(s), 1 unsupported");
  }

  @Test
  void emptyStdinIsNotValidExit1() {
    // `kustomize build overlays/x | appmesh-xds validate -` after kustomize failed: nothing on stdin.
    Run r = run("", "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).containsExactly("-: no App Mesh object and no Flagger Canary found: the input is empty (a failed"
        + " `kustomize build` in a pipe prints nothing)");
  }

  @Test
  void aDirectoryOfTemplatesOnlyIsNotValidExit1(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mesh.yaml.template"), "apiVersion: appmesh.k8s.aws/v1beta2\nkind: Mesh\nmetadata:\n  name: ${MESH}\n");
    Run r = run(null, dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).containsExactly(dir + ": no App Mesh object and no Flagger Canary found: no manifest file was read"
        + " (*.yaml, *.yml, *.json); 1 template file(s) not read (" + dir.resolve("mesh.yaml.template")
        + "): substitute their variables first, e.g. with envsubst");
  }

  @Test
  void documentsWithoutAppMeshObjectsAreNotValidExit1() {
    Run r = run("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\n"
        + "metadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n", "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).containsExactly("-: no App Mesh object and no Flagger Canary found: read 3 document(s) (2 Deployment,"
        + " 1 Service); validate checks appmesh.k8s.aws/v1beta2 objects and flagger.app Canaries");
  }

  @Test
  void templatesBesideObjectsAreMentioned(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MESH);
    Files.writeString(dir.resolve("app.yaml.template"), "kind: X\n");
    Run r = run(null, dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("note: 1 template file(s) not read (" + dir.resolve("app.yaml.template") + ")");
  }

  @Test
  void aProblemOfAnObjectFlaggerCreatesNamesTheCanaryToChange() {
    String canary = "---\napiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: {name: podinfo, namespace: demo}\n"
        + "spec: {provider: appmesh:v1beta2, targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo},"
        + " service: {port: 9898, backends: [orders]}, analysis: {interval: 15s}}\n";
    Run r = run(MESH + canary, "-");
    assertThat(r.code()).isEqualTo(1);
    String problem = "spec.backends[0].virtualService.virtualServiceRef: virtual service demo/orders not found (Flagger writes"
        + " this object from Canary demo/podinfo: change the Canary)";
    assertThat(r.lines()).containsExactly(
        "- document 3 (created by Flagger from Canary demo/podinfo): VirtualNode demo/podinfo-canary: " + problem,
        "- document 3 (created by Flagger from Canary demo/podinfo): VirtualNode demo/podinfo-primary: " + problem);
  }

  @Test
  void missingPathIsAnIoErrorExit2(@TempDir Path dir) {
    Run r = run(null, dir.resolve("nope.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml: no such file or directory");
  }

  @Test
  void badUsageExits2() {
    assertThat(run(null, "--output", "xml", "x").code()).isEqualTo(2);
    assertThat(run(null).code()).isEqualTo(2);
  }

  @Test
  void malformedYamlIsReportedWithDocumentIndex() {
    Run r = run("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [unclosed\n", "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.lines()).hasSize(1);
    assertThat(r.lines().get(0)).startsWith("- document 2: not valid YAML/JSON: ");
  }
}
