package io.appmeshxds.translator.plan;

/**
 * A part of a plan contributed by another module (tracing, access-log export). Implementations are
 * records, so plans stay comparable; the xds stage turns them into protos through a factory the
 * contributing module registers.
 */
public interface ExtensionPlan {}
