package io.appmeshxds.translator.api;

/** {@code spec.meshRef}: written by App Mesh's webhook; read-only. */
public record MeshReference(String name, String uid) {}
