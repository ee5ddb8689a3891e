/**
 * Stage 3: one plan per proxy. {@link io.appmeshxds.translator.plan.Planner} turns the resolved
 * {@link io.appmeshxds.translator.model.MeshModel} into a {@link io.appmeshxds.translator.plan.ProxyPlan}
 * per {@link io.appmeshxds.translator.plan.NodeKey}: sidecar (a VirtualNode's Envoy), gateway (a
 * VirtualGateway's Envoy) or proxyless (a gRPC client with a VirtualNode's identity).
 *
 * <p>A plan is a tree of records with no Envoy protos and no name strings for Envoy resources
 * (those are minted by {@code xds.Names}), so {@code plan.equals(previous)} tells whether a proxy is
 * touched by a change, and equal sub-plans are translated once. Pure: no I/O, no clock.
 */
package io.appmeshxds.translator.plan;
