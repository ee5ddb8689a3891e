package io.appmeshxds.translator.input;

import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The strict mappers every reader of manifests uses. */
public final class Json {
  private Json() {}

  /**
   * Strict like the Kubernetes API server: no "9898" for a number, no 1.5 for an integer, no
   * duplicate keys. Unknown properties are reported by the caller's problem handler, not failed.
   */
  /** The parsers' limits ({@link ManifestLimits}): nesting depth, aliases, code points per document. */
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder().maxNestingDepth(ManifestLimits.MAX_NESTING_DEPTH).build();

  public static final YAMLMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder()
              .streamReadConstraints(LIMITS)
              .loadSettings(LoadSettings.builder()
                  .setMaxAliasesForCollections(ManifestLimits.MAX_ALIASES)
                  .setAllowRecursiveKeys(false)
                  .setCodePointLimit(ManifestLimits.MAX_CODE_POINTS)
                  .build())
              .build())
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /** Same rules for JSON input. */
  public static final ObjectMapper JSON =
      JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder().streamReadConstraints(LIMITS).build())
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
}
