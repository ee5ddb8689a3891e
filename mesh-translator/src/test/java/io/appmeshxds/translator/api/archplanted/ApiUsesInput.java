package io.appmeshxds.translator.api.archplanted;

import io.appmeshxds.translator.input.AcmMaterial;

/** Planted (never run): the api layer may not access any layer; this one reads input. */
public final class ApiUsesInput {
  AcmMaterial material;
}
