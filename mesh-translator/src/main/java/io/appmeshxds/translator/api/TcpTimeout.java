package io.appmeshxds.translator.api;

/** TCP idle timeout (App Mesh default 300 s; 0 disables). */
public record TcpTimeout(Duration idle) {}
