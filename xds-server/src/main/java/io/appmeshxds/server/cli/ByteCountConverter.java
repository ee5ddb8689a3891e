package io.appmeshxds.server.cli;

import io.appmeshxds.translator.input.ManifestLimits;
import picocli.CommandLine;

/** {@code 33554432}, {@code 32Mi}, {@code 512Ki}: a byte count option, with a clear message when it is not one. */
final class ByteCountConverter implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      return ManifestLimits.parseBytes(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
