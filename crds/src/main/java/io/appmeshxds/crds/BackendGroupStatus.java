package io.appmeshxds.crds;

/** {@code BackendGroupStatus}: empty, as App Mesh's CRD defines it. */
public class BackendGroupStatus {}
