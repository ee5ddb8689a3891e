package io.appmeshxds.tracing.logs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk buffer's directory is private: created {@code 0700} (files {@code 0600}), and an existing
 * one is refused when another user owns it or when its group or others may write to it.
 *
 * <p>Why: the default directory is under {@code java.io.tmpdir}. Another local user who creates it
 * first (or plants a symbolic link) could otherwise read every access log, or write segment files
 * that the exporter would ship to any log group, under the exporter's credentials.
 */
final class SpillDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(SpillDirectory.class);
  static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private SpillDirectory() {}

  /**
   * Creates {@code dir} private, or checks an existing one (and removes group/other read access
   * from a directory this user owns). Throws an {@link IOException} whose message is one line an
   * operator can act on.
   */
  static void prepare(Path dir) throws IOException {
    try {
      check(dir);
    } catch (Refused e) {
      throw e;
    } catch (IOException | SecurityException e) {
      String why = e instanceof java.nio.file.AccessDeniedException a ? "permission denied" + on(a, dir)
          : e instanceof java.nio.file.FileAlreadyExistsException a ? (a.getFile() == null ? "a file" : a.getFile())
              + " is in the way (not a directory)"
          : e instanceof java.nio.file.NoSuchFileException a ? "no such file or directory" + on(a, dir)
          : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() + on(f, dir)
          : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IOException("access-log buffer directory " + dir + " cannot be used: " + why
          + "; choose another with bufferDir / --buffer-dir");
    }
  }

  private static String on(java.nio.file.FileSystemException e, Path dir) {
    return e.getFile() == null || e.getFile().equals(dir.toString()) ? "" : " (" + e.getFile() + ")";
  }

  /** A refusal whose message is already the one line to print. */
  private static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  private static void check(Path dir) throws IOException {
    if (!posix(dir)) {
      Files.createDirectories(dir); // not a POSIX file system: no owner/mode to check
      return;
    }
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
        LOG.info("access-log buffer {}: created (mode 0700)", dir);
        return;
      } catch (FileAlreadyExistsException e) {
        // created by someone else between the check and now: checked below like any existing one
      }
    }
    if (Files.isSymbolicLink(dir)) {
      long linkOwner = uid(dir, LinkOption.NOFOLLOW_LINKS);
      if (linkOwner != myUid() && linkOwner != 0) {
        throw refused(dir, "is a symbolic link owned by uid " + linkOwner + ", not by this process (uid " + myUid() + ")");
      }
    }
    if (!Files.isDirectory(dir)) {
      throw refused(dir, "exists and is not a directory");
    }
    long owner = uid(dir);
    if (owner != myUid()) {
      throw refused(dir, "is owned by uid " + owner + ", not by this process (uid " + myUid() + ")");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw refused(dir, "is writable by its group or by others (mode " + PosixFilePermissions.toString(mode) + ")");
    }
    if (!mode.equals(DIR)) {
      Files.setPosixFilePermissions(dir, DIR);
      LOG.info("access-log buffer {}: mode {} tightened to rwx------", dir, PosixFilePermissions.toString(mode));
    }
  }

  /** File attributes for new files in the directory: {@code 0600} where the file system has modes. */
  static FileAttribute<?>[] fileAttributes(Path dir) {
    return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
  }

  private static IOException refused(Path dir, String why) {
    return new Refused("access-log buffer directory " + dir + " " + why + "; refusing to use it (it must be a "
        + "directory owned by this user and writable only by it: remove it, or choose another with bufferDir / --buffer-dir)");
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("unix")
        || dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static long uid(Path p, LinkOption... options) throws IOException {
    try {
      return ((Number) Files.getAttribute(p, "unix:uid", options)).longValue();
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return myUid(); // no numeric owners here: nothing to compare
    }
  }

  private static Long cachedUid;

  /** This process's user id: the owner of {@code /proc/self} on Linux, else the JDK's UnixSystem. */
  static synchronized long myUid() throws IOException {
    if (cachedUid == null) {
      Path self = Path.of("/proc/self");
      if (Files.exists(self)) {
        cachedUid = ((Number) Files.getAttribute(self, "unix:uid")).longValue();
      } else {
        cachedUid = new com.sun.security.auth.module.UnixSystem().getUid();
      }
    }
    return cachedUid;
  }
}
