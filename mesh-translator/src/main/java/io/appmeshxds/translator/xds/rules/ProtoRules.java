package io.appmeshxds.translator.xds.rules;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Checks protobuf messages against Envoy's {@code validate.rules} (protoc-gen-validate) options,
 * which Envoy enforces on every resource it receives; {@code Any} fields are unpacked and checked
 * too.
 *
 * <p>Works on any {@link Message}, generated or dynamic, by reading the options off its descriptor:
 * field rules for strings, bytes, all numeric types, bools, enums, messages, repeated fields, maps,
 * {@code Any}, {@code Duration}, {@code Timestamp} and the wrapper types; required oneofs; and the
 * message options {@code disabled}/{@code ignored}. Every set sub-message is checked unless its
 * field says {@code message.skip}. Like Envoy, each value reports only its first broken rule, but
 * all values are checked, so one call lists everything wrong.
 *
 * <p>{@code Any} payloads are resolved against the Envoy types xDS usually carries (listeners,
 * clusters, routes, endpoints, secrets, the common filters, access loggers, tracers, transport
 * sockets, load-balancing policies), the files imported by the checked message, and types added
 * with {@link #register}. A payload of an unknown type is skipped, or reported in strict mode.
 *
 * <p>Per-type rule metadata is computed once and cached; the methods are thread-safe. A check's
 * result depends on the message, {@code strict}, the time given and the registered types only,
 * never on which messages were checked before.
 */
public final class ProtoRules {

  private ProtoRules() {}

  /** The violations in {@code message}, in walk order; empty when it is valid. */
  public static List<Violation> check(Message message) {
    return check(message, false);
  }

  /**
   * The violations in {@code message}, with no time given: a timestamp rule relative to now
   * ({@code lt_now}, {@code gt_now}, {@code within}) is reported as broken. No Envoy type declares
   * one (ProtoRulesTest checks that), so the resources translation builds never need a time.
   *
   * @param strict also report each {@code Any} whose type is unknown (rule {@code any.type}),
   *     because its content cannot be validated
   */
  public static List<Violation> check(Message message, boolean strict) {
    return check(message, strict, null);
  }

  /**
   * The violations in {@code message}, timestamp rules relative to now checked against {@code now}.
   * Why a parameter and not a clock: translation is pure; time comes in from the caller.
   *
   * @param strict also report each {@code Any} whose type is unknown (rule {@code any.type})
   * @param now the instant "now" means; null when none is known
   */
  public static List<Violation> check(Message message, boolean strict, Instant now) {
    Objects.requireNonNull(message, "message");
    Walker walker = new Walker(strict, now, message.getDescriptorForType());
    walker.walk(message);
    return List.copyOf(walker.violations());
  }

  /**
   * Throws when {@code message} breaks a rule.
   *
   * @throws ProtoRuleException listing every violation
   */
  public static void requireValid(Message message) {
    List<Violation> violations = check(message);
    if (!violations.isEmpty()) {
      throw new ProtoRuleException(message.getDescriptorForType().getFullName(), violations);
    }
  }

  /**
   * Makes {@code Any} payloads of these types, and of every type their files import, resolvable.
   * A full name already known keeps its first descriptor.
   */
  public static void register(Descriptor... types) {
    for (Descriptor type : types) {
      TypeRegistry.register(Objects.requireNonNull(type, "type"));
    }
  }
}
