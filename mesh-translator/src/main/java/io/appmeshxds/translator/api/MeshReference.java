package io.appmeshxds.translator.api;

import io.fabric8.generator.annotation.Required;

/** {@code spec.meshRef}: written by App Mesh's webhook; read-only. Both fields are required when it is set. */
public record MeshReference(@Required String name, @Required String uid) {}
