package io.appmeshxds.translator.xds.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeRegistryTest {

  @Test
  void envoyPayloadsResolveToGeneratedClasses() {
    Message hcm = TypeRegistry.prototype(
        "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    Message nested = TypeRegistry.prototype(
        "type.googleapis.com/" + Cluster.LbSubsetConfig.getDescriptor().getFullName());

    assertThat(hcm).isSameAs(HttpConnectionManager.getDefaultInstance());
    assertThat(nested).isSameAs(Cluster.LbSubsetConfig.getDefaultInstance());
    assertThat(TypeRegistry.prototype("type.googleapis.com/example.Unknown")).isNull();
    assertThat(TypeRegistry.prototype("")).isNull();
  }

  @Test
  void everyKnownTypeGetsAPlanAndAGeneratedPrototype() {
    List<String> dynamic = new ArrayList<>();
    for (Descriptor type : TypeRegistry.knownTypes()) {
      MessagePlan.of(type);
      MessagePlan.relevant(type);
      if (type.getOptions().getMapEntry() || type.getFile().getPackage().equals(SyntheticProtos.PACKAGE)) {
        continue; // map entries have no generated class; other tests register runtime types
      }
      Message prototype = TypeRegistry.prototype("type.googleapis.com/" + type.getFullName());
      if (prototype instanceof DynamicMessage) {
        dynamic.add(type.getFullName());
      }
    }

    assertThat(dynamic).isEmpty();
    assertThat(TypeRegistry.knownTypes()).hasSizeGreaterThan(500);
  }

  @Test
  void everyEnvoyPatternCompilesWithRe2j() {
    List<String> patterns = new ArrayList<>();
    for (Descriptor type : TypeRegistry.knownTypes()) {
      for (FieldDescriptor field : type.getFields()) {
        FieldRules rules = RuleOptions.fieldRules(field);
        if (rules != null) {
          collectPatterns(rules, patterns);
        }
      }
    }

    assertThat(patterns).isNotEmpty();
    assertThat(patterns).allSatisfy(p -> assertThat(StringCheck.compile(p)).as(p).isNotNull());
  }

  /**
   * Why this matters: translation reads no clock, so the publisher checks resources with no time
   * ({@link ProtoRules#check(Message, boolean)}), and a now-relative rule would then always fail.
   */
  @Test
  void noEnvoyTypeComparesATimestampWithNow() {
    List<String> relativeToNow = new ArrayList<>();
    int withRules = 0;
    for (Descriptor type : TypeRegistry.knownTypes()) {
      if (type.getFile().getPackage().equals(SyntheticProtos.PACKAGE)) {
        continue; // other tests register runtime types that do
      }
      for (FieldDescriptor field : type.getFields()) {
        FieldRules rules = RuleOptions.fieldRules(field);
        if (rules != null) {
          withRules++;
          var t = rules.hasTimestamp() ? rules.getTimestamp() : rules.getRepeated().getItems().getTimestamp();
          if (t.getLtNow() || t.getGtNow() || t.hasWithin()) {
            relativeToNow.add(field.getFullName());
          }
        }
      }
    }

    assertThat(relativeToNow).isEmpty();
    assertThat(withRules).as("fields with rules seen (the scan reads them)").isGreaterThan(300);
  }

  /**
   * A check's result is a function of its arguments: a payload type known only through the imports
   * of a message checked earlier stays unknown to a later check (it used to become known).
   */
  @Test
  void aCheckDoesNotDependOnWhatWasCheckedBefore() {
    var jwt = io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDefaultInstance();
    String url = "type.googleapis.com/" + jwt.getDescriptorForType().getFullName();
    assertThat(TypeRegistry.prototype(url)).as("precondition: not a default type").isNull();
    Any packed = Any.pack(jwt);

    List<Violation> before = ProtoRules.check(packed, true);
    ProtoRules.check(jwt, true);
    List<Violation> after = ProtoRules.check(packed, true);

    assertThat(before).extracting(Violation::rule).containsExactly("any.type");
    assertThat(after).isEqualTo(before);
    // The checked message's own imports do resolve (the root here is the payload's file).
    assertThat(TypeRegistry.prototype(url, jwt.getDescriptorForType())).isSameAs(jwt);
  }

  @Test
  void anyRootIsUnpacked() {
    Any packed = Any.pack(HttpConnectionManager.getDefaultInstance());

    assertThat(ProtoRules.check(packed)).extracting(Violation::path)
        .containsExactly("(HttpConnectionManager).stat_prefix", "(HttpConnectionManager).route_specifier");
  }

  private static void collectPatterns(FieldRules rules, List<String> out) {
    if (rules.hasString() && rules.getString().hasPattern()) {
      out.add(rules.getString().getPattern());
    }
    if (rules.hasBytes() && rules.getBytes().hasPattern()) {
      out.add(rules.getBytes().getPattern());
    }
    if (rules.hasRepeated() && rules.getRepeated().hasItems()) {
      collectPatterns(rules.getRepeated().getItems(), out);
    }
    if (rules.hasMap()) {
      collectPatterns(rules.getMap().getKeys(), out);
      collectPatterns(rules.getMap().getValues(), out);
    }
  }
}
