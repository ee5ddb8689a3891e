package io.appmeshxds.server.cloudmap;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How Cloud Map failures are named (in statuses, logs and metric tags) and which are worth a retry;
 * and the address checks for what instances registered. Messages carry the AWS error code and
 * message only: never a request's signature or credentials.
 */
public final class CloudMapErrors {
  private CloudMapErrors() {}

  private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]{2,45}$");
  /** Codes Cloud Map answers when it is asked too fast (its own, and the generic AWS one). */
  static final Set<String> THROTTLING = Set.of("ThrottlingException", "RequestLimitExceeded", "Throttling",
      "TooManyRequestsException");

  /** The AWS error code, else the exception's class name. */
  static String code(SdkException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
      return a.awsErrorDetails().errorCode();
    }
    return e.getClass().getSimpleName();
  }

  /** {@code Code: message (HTTP status)}, or the client-side failure; at most 300 characters. */
  public static String describe(SdkException e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      String msg = a.awsErrorDetails().errorMessage();
      return clip(code(e) + (msg == null || msg.isBlank() ? "" : ": " + msg) + " (HTTP " + a.statusCode() + ")");
    }
    String msg = e.getMessage();
    return clip(e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
  }

  /** Whether a call that failed this way may succeed later (throttling, server errors, the network). */
  static boolean retriable(SdkException e) {
    if (e instanceof AwsServiceException a) {
      return THROTTLING.contains(code(e)) || a.statusCode() >= 500 || a.isThrottlingException();
    }
    return true;
  }

  static boolean throttled(SdkException e) {
    return e instanceof AwsServiceException a && (THROTTLING.contains(code(e)) || a.isThrottlingException());
  }

  static String clip(String s) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.length() > 300 ? one.substring(0, 300) + "…" : one;
  }

  static boolean isIpv4(String s) {
    return s != null && IPV4.matcher(s).matches();
  }

  /** An IPv6 literal (no zone), checked without any name lookup. */
  static boolean isIpv6(String s) {
    if (s == null || !s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      return InetAddress.getByName(s) instanceof Inet6Address;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** An IPv6 literal as written, in lower case ({@link #isIpv6} must hold). */
  static String normalizeIpv6(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }
}
