package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Request and idle timeouts (HTTPTimeout and GRPCTimeout share this shape). App Mesh defaults:
 * 15 s per request, 300 s idle; a value of 0 disables.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpTimeout(Duration perRequest, Duration idle) {}
