package io.appmeshxds.translator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;

/** Path match: exactly one of exact or regex. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpPathMatch(@Size(min = 1, max = 255) String exact, @Size(min = 1, max = 255) String regex) {}
