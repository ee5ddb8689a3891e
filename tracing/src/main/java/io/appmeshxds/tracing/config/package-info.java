/** The control-plane config file ({@code --config FILE}, YAML; every key optional). */
package io.appmeshxds.tracing.config;
