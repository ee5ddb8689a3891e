package io.appmeshxds.translator.xds.rules;

import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label.LABEL_OPTIONAL;
import static com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label.LABEL_REPEATED;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.AnyRules;
import io.envoyproxy.pgv.validate.Validate.BoolRules;
import io.envoyproxy.pgv.validate.Validate.BytesRules;
import io.envoyproxy.pgv.validate.Validate.DoubleRules;
import io.envoyproxy.pgv.validate.Validate.DurationRules;
import io.envoyproxy.pgv.validate.Validate.EnumRules;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import io.envoyproxy.pgv.validate.Validate.Fixed32Rules;
import io.envoyproxy.pgv.validate.Validate.FloatRules;
import io.envoyproxy.pgv.validate.Validate.Int32Rules;
import io.envoyproxy.pgv.validate.Validate.Int64Rules;
import io.envoyproxy.pgv.validate.Validate.KnownRegex;
import io.envoyproxy.pgv.validate.Validate.MapRules;
import io.envoyproxy.pgv.validate.Validate.MessageRules;
import io.envoyproxy.pgv.validate.Validate.RepeatedRules;
import io.envoyproxy.pgv.validate.Validate.SFixed64Rules;
import io.envoyproxy.pgv.validate.Validate.SInt32Rules;
import io.envoyproxy.pgv.validate.Validate.StringRules;
import io.envoyproxy.pgv.validate.Validate.TimestampRules;
import io.envoyproxy.pgv.validate.Validate.UInt32Rules;
import io.envoyproxy.pgv.validate.Validate.UInt64Rules;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rule kind, on messages built at run time (so through the dynamic-descriptor path). */
class RuleKindsTest {

  private static final String ANY = ".google.protobuf.Any";
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final SyntheticProtos P = new SyntheticProtos();

  static {
    P.enumType("Color", "COLOR_UNSET", "RED", "GREEN")
        .message(DescriptorProto.newBuilder().setName("Inner").addField(SyntheticProtos.field(
            "name", 1, Type.TYPE_STRING, null, LABEL_OPTIONAL, str(StringRules.newBuilder().setMinLen(1)))))
        // numbers
        .single("Int32Inside", Type.TYPE_INT32, r().setInt32(Int32Rules.newBuilder().setGt(0).setLt(10)))
        .single("Int32Outside", Type.TYPE_INT32, r().setInt32(Int32Rules.newBuilder().setGt(10).setLt(5)))
        .single("Int64GteLt", Type.TYPE_INT64, r().setInt64(Int64Rules.newBuilder().setGte(-3).setLt(3)))
        .single("UInt64Huge", Type.TYPE_UINT64, r().setUint64(UInt64Rules.newBuilder().setGt(Long.MIN_VALUE)))
        .single("UInt32Gt", Type.TYPE_UINT32, r().setUint32(UInt32Rules.newBuilder().setGt(0)))
        .single("SInt32In", Type.TYPE_SINT32, r().setSint32(SInt32Rules.newBuilder().addIn(1).addIn(2)))
        .single("Fixed32NotIn", Type.TYPE_FIXED32, r().setFixed32(Fixed32Rules.newBuilder().addNotIn(7)))
        .single("SFixed64Const", Type.TYPE_SFIXED64, r().setSfixed64(SFixed64Rules.newBuilder().setConst(-5)))
        .single("FloatGte", Type.TYPE_FLOAT, r().setFloat(FloatRules.newBuilder().setGte(0.5f)))
        .single("DoubleIgnoreEmpty", Type.TYPE_DOUBLE,
            r().setDouble(DoubleRules.newBuilder().setGt(1).setIgnoreEmpty(true)))
        .single("BoolConst", Type.TYPE_BOOL, r().setBool(BoolRules.newBuilder().setConst(true)))
        // strings
        .single("StrConst", Type.TYPE_STRING, str(StringRules.newBuilder().setConst("abc")))
        .single("StrLen", Type.TYPE_STRING, str(StringRules.newBuilder().setLen(3)))
        .single("StrMinMax", Type.TYPE_STRING, str(StringRules.newBuilder().setMinLen(2).setMaxLen(4)))
        .single("StrBytes", Type.TYPE_STRING, str(StringRules.newBuilder().setMaxBytes(4)))
        .single("StrLenBytes", Type.TYPE_STRING, str(StringRules.newBuilder().setLenBytes(3)))
        .single("StrAffixes", Type.TYPE_STRING, str(StringRules.newBuilder()
            .setPrefix("ab").setSuffix("yz").setContains("mm").setNotContains("bad")))
        .single("StrIn", Type.TYPE_STRING, str(StringRules.newBuilder().addIn("a").addIn("b")))
        .single("StrNotIn", Type.TYPE_STRING, str(StringRules.newBuilder().addNotIn("admin")))
        .single("StrPattern", Type.TYPE_STRING,
            str(StringRules.newBuilder().setPattern("[a-z]+").setIgnoreEmpty(true)))
        .single("StrEmail", Type.TYPE_STRING, str(StringRules.newBuilder().setEmail(true)))
        .single("StrHostname", Type.TYPE_STRING, str(StringRules.newBuilder().setHostname(true)))
        .single("StrIp", Type.TYPE_STRING, str(StringRules.newBuilder().setIp(true)))
        .single("StrIpv4", Type.TYPE_STRING, str(StringRules.newBuilder().setIpv4(true)))
        .single("StrIpv6", Type.TYPE_STRING, str(StringRules.newBuilder().setIpv6(true)))
        .single("StrUri", Type.TYPE_STRING, str(StringRules.newBuilder().setUri(true)))
        .single("StrUriRef", Type.TYPE_STRING, str(StringRules.newBuilder().setUriRef(true)))
        .single("StrAddress", Type.TYPE_STRING, str(StringRules.newBuilder().setAddress(true)))
        .single("StrUuid", Type.TYPE_STRING, str(StringRules.newBuilder().setUuid(true)))
        .single("StrHeaderValue", Type.TYPE_STRING,
            str(StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_VALUE)))
        .single("StrHeaderName", Type.TYPE_STRING,
            str(StringRules.newBuilder().setWellKnownRegex(KnownRegex.HTTP_HEADER_NAME)))
        // bytes
        .single("BytesConst", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().setConst(bytes("ok"))))
        .single("BytesLen", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().setLen(4)))
        .single("BytesAffixes", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder()
            .setPrefix(bytes("\u0001")).setSuffix(bytes("\u0009")).setContains(bytes("\u0005"))))
        .single("BytesIn", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().addIn(bytes("a"))))
        .single("BytesNotIn", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().addNotIn(bytes("a"))))
        .single("BytesPattern", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().setPattern("^x+$")))
        .single("BytesIp", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().setIp(true)))
        .single("BytesIpv4", Type.TYPE_BYTES, r().setBytes(BytesRules.newBuilder().setIpv4(true)))
        .single("BytesIpv6", Type.TYPE_BYTES,
            r().setBytes(BytesRules.newBuilder().setIpv6(true).setIgnoreEmpty(true)))
        // enums
        .single("EnumConst", Type.TYPE_ENUM, ".ruletest.Color", LABEL_OPTIONAL,
            r().setEnum(EnumRules.newBuilder().setConst(1)))
        .single("EnumIn", Type.TYPE_ENUM, ".ruletest.Color", LABEL_OPTIONAL,
            r().setEnum(EnumRules.newBuilder().addIn(1).addIn(2)))
        .single("EnumDefined", Type.TYPE_ENUM, ".ruletest.Color", LABEL_OPTIONAL,
            r().setEnum(EnumRules.newBuilder().setDefinedOnly(true)))
        // messages
        .single("MsgRequired", Type.TYPE_MESSAGE, ".ruletest.Inner", LABEL_OPTIONAL,
            r().setMessage(MessageRules.newBuilder().setRequired(true)))
        .single("MsgPlain", Type.TYPE_MESSAGE, ".ruletest.Inner", LABEL_OPTIONAL, null)
        .single("MsgSkip", Type.TYPE_MESSAGE, ".ruletest.Inner", LABEL_OPTIONAL,
            r().setMessage(MessageRules.newBuilder().setSkip(true)))
        // repeated
        .single("RepSized", Type.TYPE_INT32, null, LABEL_REPEATED, r().setRepeated(RepeatedRules.newBuilder()
            .setMinItems(1).setMaxItems(3).setItems(r().setInt32(Int32Rules.newBuilder().setGt(0)))))
        .single("RepExact", Type.TYPE_STRING, null, LABEL_REPEATED,
            r().setRepeated(RepeatedRules.newBuilder().setMinItems(2).setMaxItems(2)))
        .single("RepUnique", Type.TYPE_ENUM, ".ruletest.Color", LABEL_REPEATED,
            r().setRepeated(RepeatedRules.newBuilder().setUnique(true)))
        .single("RepIgnoreEmpty", Type.TYPE_STRING, null, LABEL_REPEATED,
            r().setRepeated(RepeatedRules.newBuilder().setMinItems(2).setIgnoreEmpty(true)))
        .single("RepMessages", Type.TYPE_MESSAGE, ".ruletest.Inner", LABEL_REPEATED, null)
        .single("RepSkipItems", Type.TYPE_MESSAGE, ".ruletest.Inner", LABEL_REPEATED,
            r().setRepeated(RepeatedRules.newBuilder().setItems(
                r().setMessage(MessageRules.newBuilder().setSkip(true)))))
        // maps
        .map("MapRules", Type.TYPE_STRING, Type.TYPE_INT32, null, r().setMap(MapRules.newBuilder()
            .setMinPairs(1).setMaxPairs(2)
            .setKeys(str(StringRules.newBuilder().setMinLen(2)))
            .setValues(r().setInt32(Int32Rules.newBuilder().setGte(0)))))
        .map("MapMessages", Type.TYPE_STRING, Type.TYPE_MESSAGE, ".ruletest.Inner",
            r().setMap(MapRules.newBuilder().setNoSparse(true)))
        .map("MapIgnoreEmpty", Type.TYPE_STRING, Type.TYPE_STRING, null,
            r().setMap(MapRules.newBuilder().setMinPairs(1).setIgnoreEmpty(true)))
        // any
        .single("AnyIn", Type.TYPE_MESSAGE, ANY, LABEL_OPTIONAL, r().setAny(AnyRules.newBuilder()
            .setRequired(true).addIn("type.googleapis.com/google.protobuf.Duration")))
        .single("AnyNotIn", Type.TYPE_MESSAGE, ANY, LABEL_OPTIONAL,
            r().setAny(AnyRules.newBuilder().addNotIn("type.googleapis.com/google.protobuf.Duration")))
        .single("AnyPlain", Type.TYPE_MESSAGE, ANY, LABEL_OPTIONAL, null)
        // durations
        .single("DurConst", Type.TYPE_MESSAGE, ".google.protobuf.Duration", LABEL_OPTIONAL,
            r().setDuration(DurationRules.newBuilder().setRequired(true).setConst(dur(1, 500_000_000))))
        .single("DurRange", Type.TYPE_MESSAGE, ".google.protobuf.Duration", LABEL_OPTIONAL,
            r().setDuration(DurationRules.newBuilder().setGte(dur(1, 0)).setLt(dur(10, 0))))
        .single("DurOutside", Type.TYPE_MESSAGE, ".google.protobuf.Duration", LABEL_OPTIONAL,
            r().setDuration(DurationRules.newBuilder().setGt(dur(10, 0)).setLt(dur(1, 0))))
        .single("DurIn", Type.TYPE_MESSAGE, ".google.protobuf.Duration", LABEL_OPTIONAL,
            r().setDuration(DurationRules.newBuilder().addIn(dur(1, 0)).addIn(dur(0, 250_000_000))))
        .single("DurNotIn", Type.TYPE_MESSAGE, ".google.protobuf.Duration", LABEL_OPTIONAL,
            r().setDuration(DurationRules.newBuilder().addNotIn(dur(3600, 0))))
        // timestamps
        .single("TsGt", Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", LABEL_OPTIONAL,
            r().setTimestamp(TimestampRules.newBuilder().setRequired(true).setGt(ts("2020-01-01T00:00:00Z"))))
        .single("TsConst", Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", LABEL_OPTIONAL,
            r().setTimestamp(TimestampRules.newBuilder().setConst(ts("2020-01-01T00:00:00Z"))))
        .single("TsLtNow", Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", LABEL_OPTIONAL,
            r().setTimestamp(TimestampRules.newBuilder().setLtNow(true)))
        .single("TsGtNowWithin", Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", LABEL_OPTIONAL,
            r().setTimestamp(TimestampRules.newBuilder().setGtNow(true).setWithin(dur(3600, 0))))
        .single("TsWithin", Type.TYPE_MESSAGE, ".google.protobuf.Timestamp", LABEL_OPTIONAL,
            r().setTimestamp(TimestampRules.newBuilder().setWithin(dur(60, 0))))
        // wrappers
        .single("WrapUInt32", Type.TYPE_MESSAGE, ".google.protobuf.UInt32Value", LABEL_OPTIONAL,
            r().setUint32(UInt32Rules.newBuilder().setGt(0).setLte(5))
                .setMessage(MessageRules.newBuilder().setRequired(true)))
        .single("WrapString", Type.TYPE_MESSAGE, ".google.protobuf.StringValue", LABEL_OPTIONAL,
            str(StringRules.newBuilder().setMinLen(1)))
        // oneofs and proto3 optional
        .message(DescriptorProto.newBuilder().setName("OneofRequired")
            .addOneofDecl(SyntheticProtos.oneof("choice", true))
            .addField(SyntheticProtos.field("a", 1, Type.TYPE_STRING, null, LABEL_OPTIONAL,
                str(StringRules.newBuilder().setMinLen(3))).setOneofIndex(0))
            .addField(SyntheticProtos.field("b", 2, Type.TYPE_INT32, null, LABEL_OPTIONAL, null)
                .setOneofIndex(0)))
        .message(DescriptorProto.newBuilder().setName("Optional")
            .addOneofDecl(SyntheticProtos.oneof("_v", false))
            .addField(SyntheticProtos.field("v", 1, Type.TYPE_INT32, null, LABEL_OPTIONAL,
                r().setInt32(Int32Rules.newBuilder().setGt(5))).setOneofIndex(0).setProto3Optional(true)))
        // message options
        .message(DescriptorProto.newBuilder().setName("Disabled")
            .setOptions(MessageOptions.newBuilder().setExtension(Validate.disabled, true))
            .addField(SyntheticProtos.field("name", 1, Type.TYPE_STRING, null, LABEL_OPTIONAL,
                str(StringRules.newBuilder().setMinLen(1)))))
        .message(DescriptorProto.newBuilder().setName("Ignored")
            .setOptions(MessageOptions.newBuilder().setExtension(Validate.ignored, true))
            .addField(SyntheticProtos.field("name", 1, Type.TYPE_STRING, null, LABEL_OPTIONAL,
                str(StringRules.newBuilder().setMinLen(1)))))
        .single("HoldsDisabled", Type.TYPE_MESSAGE, ".ruletest.Disabled", LABEL_OPTIONAL,
            r().setMessage(MessageRules.newBuilder().setRequired(true)));
  }

  @Test
  void runtimeDescriptorsKeepRulesAsUnknownFieldsAndAreStillRead() {
    FieldDescriptor v = P.type("StrConst").findFieldByName("v");

    assertThat(v.getOptions().hasExtension(Validate.rules)).isFalse();
    assertThat(RuleOptions.fieldRules(v).getString().getConst()).isEqualTo("abc");
  }

  @Test
  void numericRanges() {
    assertThat(check("Int32Inside", 5)).isEmpty();
    assertThat(check("Int32Inside", 10)).containsExactly(v("int32.gt_lt", "value must be inside range (0, 10)"));
    // gt above lt: the range is reversed, values must lie outside [5, 10].
    assertThat(check("Int32Outside", 3)).isEmpty();
    assertThat(check("Int32Outside", 11)).isEmpty();
    assertThat(check("Int32Outside", 7)).containsExactly(v("int32.gt_lt", "value must be outside range [5, 10]"));
    assertThat(check("Int32Outside", 5)).hasSize(1);
    assertThat(check("Int64GteLt", -3L)).isEmpty();
    assertThat(check("Int64GteLt", 3L)).containsExactly(v("int64.gte_lt", "value must be inside range [-3, 3)"));
    // uint64 compares unsigned: gt 2^63.
    assertThat(check("UInt64Huge", -1L)).isEmpty();
    assertThat(check("UInt64Huge", 5L)).containsExactly(
        v("uint64.gt", "value must be greater than 9223372036854775808"));
    assertThat(check("UInt32Gt", 0)).containsExactly(v("uint32.gt", "value must be greater than 0"));
    assertThat(check("UInt32Gt", -1)).isEmpty(); // 4294967295
  }

  @Test
  void numericConstInNotInAndIgnoreEmpty() {
    assertThat(check("SInt32In", 2)).isEmpty();
    assertThat(check("SInt32In", 3)).containsExactly(v("sint32.in", "value must be in list [1, 2]"));
    assertThat(check("Fixed32NotIn", 7)).containsExactly(v("fixed32.not_in", "value must not be in list [7]"));
    assertThat(check("SFixed64Const", -5L)).isEmpty();
    assertThat(check("SFixed64Const", 5L)).containsExactly(v("sfixed64.const", "value must equal -5"));
    assertThat(check("FloatGte", 0.25f)).containsExactly(
        v("float.gte", "value must be greater than or equal to 0.5"));
    assertThat(check("DoubleIgnoreEmpty", null)).isEmpty();
    assertThat(check("DoubleIgnoreEmpty", 0.5)).containsExactly(v("double.gt", "value must be greater than 1"));
    assertThat(check("DoubleIgnoreEmpty", Double.NaN)).isEmpty();
    assertThat(check("BoolConst", false)).containsExactly(v("bool.const", "value must equal true"));
    assertThat(check("BoolConst", true)).isEmpty();
  }

  @Test
  void stringLengthsCountCharactersOrBytes() {
    assertThat(check("StrConst", "abd")).containsExactly(v("string.const", "value must equal \"abc\""));
    assertThat(check("StrLen", "héé")).isEmpty();
    assertThat(check("StrLen", "ab")).containsExactly(v("string.len", "value length must be 3 characters"));
    assertThat(check("StrMinMax", "abcde")).containsExactly(
        v("string.max_len", "value length must be between 2 and 4 characters, inclusive"));
    assertThat(check("StrBytes", "héé")).containsExactly(v("string.max_bytes", "value length must be at most 4 bytes"));
    assertThat(check("StrLenBytes", "h\u00e9")).isEmpty();
    assertThat(check("StrLenBytes", "\uD83D\uDE00")).containsExactly(
        v("string.len_bytes", "value length must be 3 bytes"));
  }

  @Test
  void stringContentRules() {
    assertThat(check("StrAffixes", "ab-mm-yz")).isEmpty();
    assertThat(check("StrAffixes", "xb-mm-yz")).containsExactly(v("string.prefix", "value does not have prefix \"ab\""));
    assertThat(check("StrAffixes", "ab-mm-yx")).containsExactly(v("string.suffix", "value does not have suffix \"yz\""));
    assertThat(check("StrAffixes", "ab-m-yz")).containsExactly(
        v("string.contains", "value does not contain substring \"mm\""));
    assertThat(check("StrAffixes", "ab-mm-bad-yz")).containsExactly(
        v("string.not_contains", "value contains substring \"bad\""));
    assertThat(check("StrIn", "c")).containsExactly(v("string.in", "value must be in list [\"a\", \"b\"]"));
    assertThat(check("StrNotIn", "admin")).containsExactly(
        v("string.not_in", "value must not be in list [\"admin\"]"));
    // pattern is a full match (RE2::FullMatch in Envoy); ignore_empty skips "".
    assertThat(check("StrPattern", "abc")).isEmpty();
    assertThat(check("StrPattern", "")).isEmpty();
    assertThat(check("StrPattern", "abc1")).containsExactly(
        v("string.pattern", "value does not match regex pattern \"[a-z]+\""));
  }

  @Test
  void wellKnownStringFormats() {
    assertThat(check("StrEmail", "Ops <ops@example.com>")).isEmpty();
    assertThat(check("StrEmail", "ops@-example.com")).extracting(Violation::rule).containsExactly("string.email");
    assertThat(check("StrHostname", "backend.default.svc.cluster.local.")).isEmpty();
    assertThat(check("StrHostname", "under_score.example")).extracting(Violation::rule)
        .containsExactly("string.hostname");
    assertThat(check("StrIp", "::ffff:10.0.0.1")).isEmpty();
    assertThat(check("StrIp", "10.0.0.256")).containsExactly(v("string.ip", "value must be a valid IP address"));
    assertThat(check("StrIpv4", "10.0.0.1")).isEmpty();
    assertThat(check("StrIpv4", "fe80::1")).extracting(Violation::rule).containsExactly("string.ipv4");
    assertThat(check("StrIpv6", "fe80::1")).isEmpty();
    assertThat(check("StrIpv6", "10.0.0.1")).extracting(Violation::rule).containsExactly("string.ipv6");
    assertThat(check("StrUri", "https://example.com/a?b=c#d")).isEmpty();
    assertThat(check("StrUri", "/relative/path")).extracting(Violation::rule).containsExactly("string.uri");
    assertThat(check("StrUriRef", "/relative/path")).isEmpty();
    assertThat(check("StrUriRef", "http://exa mple.com")).extracting(Violation::rule).containsExactly("string.uri_ref");
    assertThat(check("StrAddress", "10.1.2.3")).isEmpty();
    assertThat(check("StrAddress", "backend.svc")).isEmpty();
    assertThat(check("StrAddress", "not an address")).extracting(Violation::rule).containsExactly("string.address");
    assertThat(check("StrUuid", "123e4567-e89b-12d3-a456-426614174000")).isEmpty();
    assertThat(check("StrUuid", "123e4567e89b12d3a456426614174000")).extracting(Violation::rule)
        .containsExactly("string.uuid");
    assertThat(check("StrHeaderValue", "text/html;\tq=0.9")).isEmpty();
    assertThat(check("StrHeaderValue", "a\u0001b")).extracting(Violation::rule)
        .containsExactly("string.well_known_regex");
    assertThat(check("StrHeaderName", ":authority")).isEmpty();
    assertThat(check("StrHeaderName", "")).extracting(Violation::rule).containsExactly("string.well_known_regex");
    assertThat(check("StrHeaderName", "x-é")).extracting(Violation::rule).containsExactly("string.well_known_regex");
  }

  @Test
  void bytesRules() {
    assertThat(check("BytesConst", bytes("no"))).containsExactly(v("bytes.const", "value must equal \"ok\""));
    assertThat(check("BytesLen", bytes("abc"))).containsExactly(v("bytes.len", "value length must be 4 bytes"));
    assertThat(check("BytesAffixes", bytes("\u0001\u0005\u0009"))).isEmpty();
    assertThat(check("BytesAffixes", bytes("\u0002\u0005\u0009"))).containsExactly(
        v("bytes.prefix", "value does not have prefix \"\\x01\""));
    assertThat(check("BytesAffixes", bytes("\u0001\u0006\u0009"))).extracting(Violation::rule)
        .containsExactly("bytes.contains");
    assertThat(check("BytesIn", bytes("b"))).containsExactly(v("bytes.in", "value must be in list [\"a\"]"));
    assertThat(check("BytesNotIn", bytes("a"))).extracting(Violation::rule).containsExactly("bytes.not_in");
    assertThat(check("BytesPattern", bytes("xxx"))).isEmpty();
    assertThat(check("BytesPattern", bytes("xyx"))).extracting(Violation::rule).containsExactly("bytes.pattern");
    assertThat(check("BytesIp", ByteString.copyFrom(new byte[16]))).isEmpty();
    assertThat(check("BytesIp", ByteString.copyFrom(new byte[5]))).extracting(Violation::rule)
        .containsExactly("bytes.ip");
    assertThat(check("BytesIpv4", ByteString.copyFrom(new byte[] {10, 0, 0, 1}))).isEmpty();
    assertThat(check("BytesIpv4", ByteString.copyFrom(new byte[16]))).extracting(Violation::rule)
        .containsExactly("bytes.ipv4");
    assertThat(check("BytesIpv6", ByteString.EMPTY)).isEmpty();
    assertThat(check("BytesIpv6", ByteString.copyFrom(new byte[4]))).extracting(Violation::rule)
        .containsExactly("bytes.ipv6");
  }

  @Test
  void enumRules() {
    Descriptor color = P.type("EnumConst");
    var red = color.findFieldByName("v").getEnumType().findValueByNumber(1);
    var green = color.findFieldByName("v").getEnumType().findValueByNumber(2);
    var unknown = color.findFieldByName("v").getEnumType().findValueByNumberCreatingIfUnknown(9);

    assertThat(check("EnumConst", red)).isEmpty();
    assertThat(check("EnumConst", green)).containsExactly(v("enum.const", "value must equal RED"));
    assertThat(check("EnumIn", P.type("EnumIn").findFieldByName("v").getEnumType().findValueByNumber(0)))
        .containsExactly(v("enum.in", "value must be in list [RED, GREEN]"));
    assertThat(check("EnumDefined", P.type("EnumDefined").findFieldByName("v").getEnumType()
        .findValueByNumberCreatingIfUnknown(9))).extracting(Violation::rule).containsExactly("enum.defined_only");
    assertThat(unknown.getNumber()).isEqualTo(9);
  }

  @Test
  void messageRequiredSkipAndRecursion() {
    Message emptyInner = DynamicMessage.getDefaultInstance(P.type("Inner"));

    assertThat(check("MsgRequired", null)).containsExactly(v("message.required", "value is required"));
    assertThat(check("MsgRequired", emptyInner)).containsExactly(
        new Violation("v.name", "string.min_len", "value length must be at least 1 characters"));
    assertThat(check("MsgPlain", emptyInner)).hasSize(1);
    assertThat(check("MsgSkip", emptyInner)).isEmpty();
  }

  @Test
  void repeatedRules() {
    assertThat(check("RepSized", List.of())).containsExactly(
        v("repeated.min_items", "value must contain between 1 and 3 items, inclusive"));
    assertThat(check("RepSized", List.of(1, 0, 2, -1))).containsExactly(
        v("repeated.max_items", "value must contain between 1 and 3 items, inclusive"),
        new Violation("v[1]", "int32.gt", "value must be greater than 0"),
        new Violation("v[3]", "int32.gt", "value must be greater than 0"));
    assertThat(check("RepExact", List.of("a"))).containsExactly(
        v("repeated.min_items", "value must contain exactly 2 item(s)"));
    Descriptor unique = P.type("RepUnique");
    var colors = unique.findFieldByName("v").getEnumType();
    assertThat(check("RepUnique", List.of(colors.findValueByNumber(1), colors.findValueByNumber(2),
        colors.findValueByNumber(1)))).containsExactly(
            new Violation("v[2]", "repeated.unique", "repeated value must contain unique items"));
    assertThat(check("RepIgnoreEmpty", List.of())).isEmpty();
    assertThat(check("RepIgnoreEmpty", List.of("a"))).extracting(Violation::rule)
        .containsExactly("repeated.min_items");
    Message emptyInner = DynamicMessage.getDefaultInstance(P.type("Inner"));
    assertThat(check("RepMessages", List.of(emptyInner, emptyInner))).extracting(Violation::path)
        .containsExactly("v[0].name", "v[1].name");
    assertThat(check("RepSkipItems", List.of(emptyInner))).isEmpty();
  }

  @Test
  void mapRules() {
    assertThat(checkMap("MapRules", "ok", 1)).isEmpty();
    assertThat(checkMap("MapRules")).containsExactly(v("map.min_pairs", "value must contain between 1 and 2 pairs, inclusive"));
    assertThat(checkMap("MapRules", "k", 1, "kk", -1, "kkk", 0)).containsExactly(
        v("map.max_pairs", "value must contain between 1 and 2 pairs, inclusive"),
        new Violation("v[\"k\"]", "keys.string.min_len", "value length must be at least 2 characters"),
        new Violation("v[\"kk\"]", "int32.gte", "value must be greater than or equal to 0"));
    assertThat(checkMap("MapIgnoreEmpty")).isEmpty();
    Message emptyInner = DynamicMessage.getDefaultInstance(P.type("Inner"));
    assertThat(checkMap("MapMessages", "a", emptyInner)).containsExactly(
        new Violation("v[\"a\"].name", "string.min_len", "value length must be at least 1 characters"));
    // no_sparse: protobuf-java gives an entry without a value the default instance (as C++
    // does), so the pair is not sparse any more; the default value's own rules still apply.
    Descriptor entryType = P.type("MapMessages").findFieldByName("v").getMessageType();
    Message sparse = DynamicMessage.newBuilder(entryType).setField(entryType.findFieldByName("key"), "b").build();
    Message holder = DynamicMessage.newBuilder(P.type("MapMessages"))
        .addRepeatedField(P.type("MapMessages").findFieldByName("v"), sparse).build();
    assertThat(ProtoRules.check(holder)).containsExactly(new Violation(
        "v[\"b\"].name", "string.min_len", "value length must be at least 1 characters"));
  }

  @Test
  void anyRules() {
    Any duration = Any.pack(dur(1, 0));
    Any timestamp = Any.pack(ts("2020-01-01T00:00:00Z"));

    assertThat(check("AnyIn", null)).containsExactly(v("any.required", "value is required"));
    assertThat(check("AnyIn", duration)).isEmpty();
    assertThat(check("AnyIn", timestamp)).containsExactly(v("any.in",
        "type URL must be in list [\"type.googleapis.com/google.protobuf.Duration\"]"));
    assertThat(check("AnyNotIn", duration)).extracting(Violation::rule).containsExactly("any.not_in");
    // A registered runtime type is unpacked (as a DynamicMessage) and checked.
    ProtoRules.register(P.type("Inner"));
    Message emptyInner = DynamicMessage.getDefaultInstance(P.type("Inner"));
    Any packed = Any.newBuilder().setTypeUrl("type.googleapis.com/ruletest.Inner")
        .setValue(emptyInner.toByteString()).build();
    assertThat(check("AnyPlain", packed)).containsExactly(
        new Violation("v.(Inner).name", "string.min_len", "value length must be at least 1 characters"));
  }

  @Test
  void durationRules() {
    assertThat(check("DurConst", null)).containsExactly(v("duration.required", "value is required"));
    assertThat(check("DurConst", dur(1, 500_000_000))).isEmpty();
    assertThat(check("DurConst", dur(1, 0))).containsExactly(v("duration.const", "value must equal 1.5s"));
    assertThat(check("DurRange", null)).isEmpty();
    assertThat(check("DurRange", dur(0, 999_000_000))).containsExactly(
        v("duration.gte_lt", "value must be inside range [1s, 10s)"));
    assertThat(check("DurOutside", dur(5, 0))).containsExactly(
        v("duration.gt_lt", "value must be outside range [1s, 10s]"));
    assertThat(check("DurOutside", dur(0, 5_000_000))).isEmpty();
    assertThat(check("DurIn", dur(0, 250_000_000))).isEmpty();
    assertThat(check("DurIn", dur(2, 0))).containsExactly(v("duration.in", "value must be in list [1s, 250ms]"));
    assertThat(check("DurNotIn", dur(3600, 0))).containsExactly(
        v("duration.not_in", "value must not be in list [1h0m0s]"));
    assertThat(check("DurRange", dur(1, 2_000_000_000))).containsExactly(
        v("duration.valid", "value is not a valid duration"));
  }

  @Test
  void timestampRules() {
    assertThat(checkAt("TsGt", null)).containsExactly(v("timestamp.required", "value is required"));
    assertThat(checkAt("TsGt", ts("2019-12-31T23:59:59Z"))).containsExactly(
        v("timestamp.gt", "value must be greater than 2020-01-01T00:00:00Z"));
    assertThat(checkAt("TsConst", ts("2020-01-01T00:00:01Z"))).containsExactly(
        v("timestamp.const", "value must equal 2020-01-01T00:00:00Z"));
    assertThat(checkAt("TsLtNow", ts("2025-06-01T11:59:59Z"))).isEmpty();
    assertThat(checkAt("TsLtNow", ts("2025-06-01T12:00:00Z"))).containsExactly(
        v("timestamp.lt_now", "value must be less than now"));
    assertThat(checkAt("TsGtNowWithin", ts("2025-06-01T12:30:00Z"))).isEmpty();
    assertThat(checkAt("TsGtNowWithin", ts("2025-06-01T14:00:00Z"))).containsExactly(
        v("timestamp.gt_now", "value must be greater than now within 1h0m0s"));
    assertThat(checkAt("TsWithin", ts("2025-06-01T11:59:30Z"))).isEmpty();
    assertThat(checkAt("TsWithin", ts("2025-06-01T11:58:00Z"))).containsExactly(
        v("timestamp.within", "value must be within 1m0s of now"));
    assertThat(checkAt("TsWithin", Timestamp.newBuilder().setNanos(-1).build())).containsExactly(
        v("timestamp.valid", "value is not a valid timestamp"));
  }

  @Test
  void aRuleRelativeToNowFailsWhenNoTimeIsGiven() {
    String why = "value is compared with now, and no time was given to compare it with";

    assertThat(check("TsLtNow", ts("2025-06-01T11:59:59Z"))).containsExactly(v("timestamp.lt_now", why));
    assertThat(check("TsGtNowWithin", ts("2025-06-01T12:30:00Z"))).containsExactly(v("timestamp.gt_now", why));
    assertThat(check("TsWithin", ts("2025-06-01T11:59:30Z"))).containsExactly(v("timestamp.within", why));
    // Absolute bounds need no time.
    assertThat(check("TsGt", ts("2020-01-01T00:00:01Z"))).isEmpty();
  }

  @Test
  void wrapperRulesApplyToTheWrappedValueWhenSet() {
    assertThat(check("WrapUInt32", null)).containsExactly(v("message.required", "value is required"));
    assertThat(check("WrapUInt32", UInt32Value.of(0))).containsExactly(
        v("uint32.gt_lte", "value must be inside range (0, 5]"));
    assertThat(check("WrapUInt32", UInt32Value.of(5))).isEmpty();
    assertThat(check("WrapString", null)).isEmpty();
    assertThat(check("WrapString", StringValue.of(""))).containsExactly(
        v("string.min_len", "value length must be at least 1 characters"));
  }

  @Test
  void oneofsAndOptionalScalars() {
    Descriptor oneof = P.type("OneofRequired");

    assertThat(ProtoRules.check(DynamicMessage.getDefaultInstance(oneof))).containsExactly(
        new Violation("choice", "oneof.required", "exactly one field is required in oneof \"choice\""));
    assertThat(ProtoRules.check(DynamicMessage.newBuilder(oneof)
        .setField(oneof.findFieldByName("b"), 0).build())).isEmpty();
    assertThat(ProtoRules.check(DynamicMessage.newBuilder(oneof)
        .setField(oneof.findFieldByName("a"), "ab").build())).containsExactly(
            new Violation("a", "string.min_len", "value length must be at least 3 characters"));
    assertThat(check("Optional", null)).isEmpty();
    assertThat(check("Optional", 1)).containsExactly(v("int32.gt", "value must be greater than 5"));
  }

  @Test
  void disabledAndIgnoredMessagesAreNotChecked() {
    assertThat(ProtoRules.check(DynamicMessage.getDefaultInstance(P.type("Disabled")))).isEmpty();
    assertThat(ProtoRules.check(DynamicMessage.getDefaultInstance(P.type("Ignored")))).isEmpty();
    assertThat(check("HoldsDisabled", DynamicMessage.getDefaultInstance(P.type("Disabled")))).isEmpty();
    assertThat(check("HoldsDisabled", null)).containsExactly(v("message.required", "value is required"));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static FieldRules.Builder r() {
    return FieldRules.newBuilder();
  }

  private static FieldRules.Builder str(StringRules.Builder rules) {
    return FieldRules.newBuilder().setString(rules);
  }

  private static ByteString bytes(String latin1) {
    return ByteString.copyFrom(latin1, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static Duration dur(long seconds, int nanos) {
    return Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  private static Timestamp ts(String iso) {
    Instant i = Instant.parse(iso);
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  private static Violation v(String rule, String message) {
    return new Violation("v", rule, message);
  }

  /** A message of {@code type} with field {@code v} set to {@code value} (a List for repeated). */
  private static Message message(String type, Object value) {
    Descriptor d = P.type(type);
    FieldDescriptor field = d.findFieldByName("v");
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    if (value instanceof List<?> list) {
      list.forEach(item -> b.addRepeatedField(field, item));
    } else if (value != null) {
      b.setField(field, value);
    }
    return b.build();
  }

  private static List<Violation> check(String type, Object value) {
    return ProtoRules.check(message(type, value));
  }

  private static List<Violation> checkAt(String type, Object value) {
    return ProtoRules.check(message(type, value), false, NOW);
  }

  /** A map message with entries given as key, value, key, value… */
  private static List<Violation> checkMap(String type, Object... keysAndValues) {
    Descriptor d = P.type(type);
    FieldDescriptor field = d.findFieldByName("v");
    Descriptor entry = field.getMessageType();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      b.addRepeatedField(field, DynamicMessage.newBuilder(entry)
          .setField(entry.findFieldByName("key"), keysAndValues[i])
          .setField(entry.findFieldByName("value"), keysAndValues[i + 1]).build());
    }
    return ProtoRules.check(b.build());
  }
}
