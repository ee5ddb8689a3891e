package io.appmeshxds.translator.model;

import io.appmeshxds.translator.incremental.Dep;
import io.appmeshxds.translator.input.ObjectRef;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who owns each App Mesh name (per mesh and kind) when several objects claim it: an object whose
 * name is its own default ({@code name_namespace}) beats one that borrowed it through
 * {@code spec.awsName}; otherwise ref order. Kept up to date one claim at a time. Not thread-safe.
 */
final class NameOwners {

  /** A name key: mesh, kind and App Mesh name. */
  record Key(String mesh, io.appmeshxds.translator.api.Kind kind, String awsName) {
    Dep dep() {
      return new Dep.AwsName(mesh, kind, awsName);
    }
  }

  private record Claim(boolean borrowed, ObjectRef ref) implements Comparable<Claim> {
    @Override
    public int compareTo(Claim o) {
      return borrowed != o.borrowed ? (borrowed ? 1 : -1) : ref.compareTo(o.ref);
    }
  }

  private final Map<Key, TreeSet<Claim>> claims = new HashMap<>();
  private final Map<ObjectRef, Claim> byRef = new HashMap<>();
  private final Map<ObjectRef, Key> keyOf = new HashMap<>();

  /** The owner of {@code key}, or null. */
  ObjectRef owner(Key key) {
    TreeSet<Claim> s = claims.get(key);
    return s == null || s.isEmpty() ? null : s.first().ref();
  }

  /**
   * Sets {@code ref}'s claim to {@code key} (null: no claim); returns the keys whose owner changed
   * (at most two: the old key and the new one).
   */
  java.util.List<Key> claim(ObjectRef ref, Key key, boolean borrowed) {
    Key oldKey = keyOf.get(ref);
    Claim oldClaim = byRef.get(ref);
    Claim claim = key == null ? null : new Claim(borrowed, ref);
    if (java.util.Objects.equals(oldKey, key) && java.util.Objects.equals(oldClaim, claim)) {
      return java.util.List.of();
    }
    java.util.List<Key> changed = new java.util.ArrayList<>(2);
    if (oldKey != null) {
      ObjectRef before = owner(oldKey);
      TreeSet<Claim> s = claims.get(oldKey);
      s.remove(oldClaim);
      if (s.isEmpty()) {
        claims.remove(oldKey);
      }
      keyOf.remove(ref);
      byRef.remove(ref);
      if (!java.util.Objects.equals(before, owner(oldKey))) {
        changed.add(oldKey);
      }
    }
    if (key != null) {
      ObjectRef before = owner(key);
      claims.computeIfAbsent(key, k -> new TreeSet<>()).add(claim);
      keyOf.put(ref, key);
      byRef.put(ref, claim);
      if (!java.util.Objects.equals(before, owner(key)) && !changed.contains(key)) {
        changed.add(key);
      }
    }
    return changed;
  }

  void clear() {
    claims.clear();
    byRef.clear();
    keyOf.clear();
  }
}
