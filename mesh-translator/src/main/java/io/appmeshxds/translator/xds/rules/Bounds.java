package io.appmeshxds.translator.xds.rules;

import java.util.Comparator;
import java.util.function.Function;

/**
 * The {@code lt}/{@code lte}/{@code gt}/{@code gte} rules shared by numbers, durations and
 * timestamps. When the lower bound is above the upper one the range is reversed: the value must
 * lie outside it (e.g. {@code gt: 10, lt: 5} accepts 3 and 12, rejects 7).
 *
 * @param <T> the compared value's type
 */
final class Bounds<T> {

  private final String kind;
  private final Comparator<? super T> order;
  private final Function<? super T, String> spell;
  private final T lt;
  private final T lte;
  private final T gt;
  private final T gte;

  /** Any bound may be null (unset). */
  Bounds(String kind, Comparator<? super T> order, Function<? super T, String> spell,
      T lt, T lte, T gt, T gte) {
    this.kind = kind;
    this.order = order;
    this.spell = spell;
    this.lt = lt;
    this.lte = lte;
    this.gt = gt;
    this.gte = gte;
  }

  boolean isEmpty() {
    return lt == null && lte == null && gt == null && gte == null;
  }

  /** True when {@code v} is within the bounds; otherwise reports and returns false. */
  boolean check(T v, Walker w) {
    if (lt != null) {
      if (gt != null) {
        if (above(lt, gt)) {
          return !(atMost(v, gt) || atLeast(v, lt))
              || fail(w, "gt_lt", "value must be inside range (" + s(gt) + ", " + s(lt) + ")");
        }
        return !(atLeast(v, lt) && atMost(v, gt))
            || fail(w, "gt_lt", "value must be outside range [" + s(lt) + ", " + s(gt) + "]");
      }
      if (gte != null) {
        if (above(lt, gte)) {
          return !(below(v, gte) || atLeast(v, lt))
              || fail(w, "gte_lt", "value must be inside range [" + s(gte) + ", " + s(lt) + ")");
        }
        return !(atLeast(v, lt) && below(v, gte))
            || fail(w, "gte_lt", "value must be outside range [" + s(lt) + ", " + s(gte) + ")");
      }
      return !atLeast(v, lt) || fail(w, "lt", "value must be less than " + s(lt));
    }
    if (lte != null) {
      if (gt != null) {
        if (above(lte, gt)) {
          return !(atMost(v, gt) || above(v, lte))
              || fail(w, "gt_lte", "value must be inside range (" + s(gt) + ", " + s(lte) + "]");
        }
        return !(above(v, lte) && atMost(v, gt))
            || fail(w, "gt_lte", "value must be outside range (" + s(lte) + ", " + s(gt) + "]");
      }
      if (gte != null) {
        if (above(lte, gte)) {
          return !(below(v, gte) || above(v, lte))
              || fail(w, "gte_lte", "value must be inside range [" + s(gte) + ", " + s(lte) + "]");
        }
        return !(above(v, lte) && below(v, gte))
            || fail(w, "gte_lte", "value must be outside range (" + s(lte) + ", " + s(gte) + ")");
      }
      return !above(v, lte) || fail(w, "lte", "value must be less than or equal to " + s(lte));
    }
    if (gt != null) {
      return !atMost(v, gt) || fail(w, "gt", "value must be greater than " + s(gt));
    }
    if (gte != null) {
      return !below(v, gte) || fail(w, "gte", "value must be greater than or equal to " + s(gte));
    }
    return true;
  }

  /** Reports under {@code <kind>.<rule>}, e.g. {@code uint32.gte_lte}, {@code duration.gt}. */
  private boolean fail(Walker w, String rule, String message) {
    w.report(kind + "." + rule, message);
    return false;
  }

  private String s(T v) {
    return spell.apply(v);
  }

  private boolean above(T a, T b) {
    return order.compare(a, b) > 0;
  }

  private boolean below(T a, T b) {
    return order.compare(a, b) < 0;
  }

  private boolean atLeast(T a, T b) {
    return order.compare(a, b) >= 0;
  }

  private boolean atMost(T a, T b) {
    return order.compare(a, b) <= 0;
  }
}
