package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.input.Problem;
import java.util.List;

/**
 * A check contributed by another module (e.g. the tracing module's annotations), run on every
 * object next to the built-in rules. Its problems land in the object's status like any other:
 * a WARNING is reported and the object is still served; an ERROR rejects the object. Must be pure
 * and thread-safe.
 */
@FunctionalInterface
public interface ObjectValidator {

  /** Problems of {@code object}; empty when it is fine. */
  List<Problem> validate(MeshObject object);
}
