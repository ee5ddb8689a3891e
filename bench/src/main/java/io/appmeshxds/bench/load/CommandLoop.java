package io.appmeshxds.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child side of the driver protocol: one command per stdin line, one reply per command on
 * stdout, prefixed with {@value #PREFIX} (anything else on stdout is noise the driver logs). Logs go
 * to stderr. The process exits when stdin closes, so a dead driver never leaves a child behind.
 */
public final class CommandLoop {
  /** Marks protocol replies on stdout. */
  public static final String PREFIX = "@@ ";

  /** Handles one command; returns the reply ({@code ok …}); exceptions become {@code err …}. */
  public interface Handler {
    Msg handle(Msg command) throws Exception;
  }

  private CommandLoop() {}

  public static void run(Handler handler) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    // Nothing else may write protocol lines: route stray System.out prints to stderr.
    System.setOut(System.err);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println(PREFIX + "ok ready=1 pid=" + ProcessHandle.current().pid());
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String reply;
        String id = "";
        try {
          Msg cmd = Msg.parse(line);
          id = cmd.str("id", "");
          if (cmd.word().equals("exit")) {
            out.println(PREFIX + "ok id=" + id);
            break;
          }
          Msg r = handler.handle(cmd);
          if (!id.isEmpty()) {
            r.put("id", id);
          }
          reply = r.toString();
        } catch (Exception | Error e) {
          e.printStackTrace();
          reply = "err id=" + (id.isEmpty() ? "-" : id) + " "
              + (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\s+", "_");
        }
        out.println(PREFIX + reply);
      }
    } catch (java.io.IOException e) {
      e.printStackTrace();
    }
    System.exit(0);
  }
}
