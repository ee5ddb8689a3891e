package io.appmeshxds.server.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code appmesh-xds} through picocli as {@code main} does, with captured output and an optional stdin for {@code diff}. */
final class CliRun {
  private CliRun() {}

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  static Result run(String... args) {
    return withStdin(null, args);
  }

  static Result withStdin(String stdin, String... args) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
      @Override
      @SuppressWarnings("unchecked")
      public <K> K create(Class<K> cls) throws Exception {
        if (cls == DiffCommand.class && stdin != null) {
          DiffCommand d = new DiffCommand();
          d.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
          return (K) d;
        }
        if (cls == ConvertCommand.class && stdin != null) {
          ConvertCommand c = new ConvertCommand();
          c.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
          return (K) c;
        }
        return defaults.create(cls);
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = Main.configure(cl).execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
