package io.appmeshxds.server.status;

import io.appmeshxds.translator.status.StatusReport;

/** Receives every status report after a build (asynchronously if it does I/O). */
public interface StatusSink {
  void publish(StatusReport report);
}
