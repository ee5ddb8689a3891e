package io.appmeshxds.server.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client for admin tests: one request per connection, as the admin port answers. */
final class Http {
  record Answer(int code, Map<String, String> headers, String body) {}

  private Http() {}

  static Answer get(int port, String path, String... headerLines) throws IOException {
    return request(port, "GET", path, headerLines);
  }

  static Answer request(int port, String method, String path, String... headerLines) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
      for (String h : headerLines) {
        req.append(h).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, split).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int c = head[i].indexOf(':');
        headers.put(head[i].substring(0, c).toLowerCase(Locale.ROOT), head[i].substring(c + 1).trim());
      }
      return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, text.substring(split + 4));
    }
  }
}
