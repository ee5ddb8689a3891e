package io.appmeshxds.translator.api;

import io.fabric8.generator.annotation.Required;

/** Numeric range match; App Mesh requires {@code start < end}. */
public record MatchRange(@Required Long start, @Required Long end) {}
