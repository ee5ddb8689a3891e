package io.appmeshxds.translator.input;


/**
 * One finding about one object.
 *
 * @param severity ERROR and UNSUPPORTED reject the object, WARNING does not; a problem with reason
 *     {@link Reason#Unsupported} is always UNSUPPORTED
 * @param reason the condition reason a rejecting problem leads to
 * @param object the object (kind may be a non-App Mesh kind such as Canary); null when the document
 *     could not even be identified
 * @param field JSON field path inside the object ({@code spec.listeners[0].portMapping.port}), or ""
 * @param message what is wrong, in words an operator can act on
 * @param source where the object came from, or null (Kubernetes)
 */
public record Problem(
    Severity severity, Reason reason, ObjectRef object, String field, String message, SourceRef source) {

  public Problem {
    field = field == null ? "" : field;
    // Why here: every rule reports Unsupported through the same error helpers; the severity follows
    // from the reason, so no rule can report an unsupported feature as a plain error.
    if (reason == Reason.Unsupported && severity == Severity.ERROR) {
      severity = Severity.UNSUPPORTED;
    }
  }

  public static Problem error(Reason reason, ObjectRef object, String field, String message) {
    return new Problem(Severity.ERROR, reason, object, field, message, null);
  }

  public static Problem warning(ObjectRef object, String field, String message) {
    return new Problem(Severity.WARNING, Reason.Accepted, object, field, message, null);
  }

  /** Whether the problem rejects the object (an error, or an unsupported feature). */
  public boolean isError() {
    return severity != Severity.WARNING;
  }

  /** Whether the problem names a feature App Mesh accepted and we do not serve yet. */
  public boolean isUnsupported() {
    return severity == Severity.UNSUPPORTED;
  }

  public Problem withSource(SourceRef s) {
    return new Problem(severity, reason, object, field, message, s);
  }

  /** {@code field: message}, or the message alone. */
  public String fieldAndMessage() {
    return field.isEmpty() ? message : field + ": " + message;
  }

  /**
   * The CLI's text form: {@code <source>: <Kind> <namespace>/<name>: <field.path>: <message>}; a
   * warning's message starts with {@code warning: }, an unsupported feature's with {@code
   * unsupported: }.
   */
  public String toLine() {
    StringBuilder sb = new StringBuilder();
    sb.append(source == null ? "-" : source.toString()).append(": ");
    if (object != null) {
      sb.append(object.kind()).append(' ');
      if (object.namespace() != null) {
        sb.append(object.namespace()).append('/');
      }
      sb.append(object.name()).append(": ");
    }
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    if (severity != Severity.ERROR) {
      sb.append(severity.lower()).append(": ");
    }
    sb.append(message);
    return sb.toString();
  }
}
