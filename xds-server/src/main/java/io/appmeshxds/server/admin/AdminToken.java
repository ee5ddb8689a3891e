package io.appmeshxds.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token that guards the admin port's sensitive views, read from a file (a Kubernetes
 * Secret mounted as a volume) and read again when the file changes, so a rotated Secret takes
 * effect without a restart. Compared in constant time: both sides are hashed (SHA-256) and the
 * digests compared with {@link MessageDigest#isEqual}, so neither the content nor the length of the
 * token leaks through timing. The token itself is never logged.
 */
public final class AdminToken {
  private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
  /** Shorter tokens are refused: a guessable token is no guard. */
  public static final int MIN_LENGTH = 16;

  private final Path file;
  private volatile byte[] digest;
  private volatile FileTime modified;
  private volatile long lastCheckNanos;

  private AdminToken(Path file) {
    this.file = file;
  }

  /**
   * The token in {@code file} (surrounding whitespace and a trailing newline are ignored). Throws
   * {@link IllegalArgumentException} with a one-line message when the file is missing, unreadable,
   * or holds a token shorter than {@value #MIN_LENGTH} characters.
   */
  public static AdminToken fromFile(Path file) {
    AdminToken t = new AdminToken(file);
    try {
      t.load();
    } catch (IOException e) {
      throw new IllegalArgumentException("admin token file " + file + ": cannot read it ("
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()) + ")");
    }
    return t;
  }

  public Path file() {
    return file;
  }

  private void load() throws IOException {
    FileTime m = Files.getLastModifiedTime(file);
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("admin token file " + file + ": the token must be at least " + MIN_LENGTH
          + " characters (e.g. openssl rand -hex 32)");
    }
    digest = sha256(token);
    modified = m;
  }

  /** Whether {@code presented} is the token (re-reads the file at most once a second when it changed). */
  boolean matches(String presented) {
    refresh();
    return presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private void refresh() {
    long now = System.nanoTime();
    if (now - lastCheckNanos < 1_000_000_000L) {
      return;
    }
    lastCheckNanos = now;
    try {
      if (!Files.getLastModifiedTime(file).equals(modified)) {
        load();
        LOG.info("admin token file {} changed: the new token is in effect", file);
      }
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("admin token file {}: cannot read the new version ({}); the previous token stays in effect", file,
          e instanceof IllegalArgumentException ? "too short" : e.getClass().getSimpleName());
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
