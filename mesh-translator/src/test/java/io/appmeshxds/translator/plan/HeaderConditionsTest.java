package io.appmeshxds.translator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.appmeshxds.translator.api.HeaderMatch;
import io.appmeshxds.translator.api.HeaderMatchMethod;
import io.appmeshxds.translator.api.MatchRange;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one place an API header match becomes a plan condition ({@link Routes#condition}) knows every
 * member of {@link HeaderMatchMethod}: adding a member to the API record without a condition kind
 * fails here, before a route could match more than it says. (The dispatch points on conditions are
 * kept exhaustive by the compiler: see {@link RoutePlan.HeaderCondition.Cases}.)
 */
class HeaderConditionsTest {

  @Test
  void everyMemberOfTheApiMatchMethodBecomesItsOwnKindOfCondition() throws Exception {
    RecordComponent[] members = HeaderMatchMethod.class.getRecordComponents();
    Class<?>[] types = new Class<?>[members.length];
    for (int i = 0; i < members.length; i++) {
      types[i] = members[i].getType();
    }
    Constructor<HeaderMatchMethod> ctor = HeaderMatchMethod.class.getDeclaredConstructor(types);
    Set<Class<?>> kinds = new HashSet<>();
    List<String> untranslated = new ArrayList<>();
    for (int i = 0; i < members.length; i++) {
      Object[] args = new Object[members.length];
      args[i] = sample(members[i].getType());
      HeaderMatchMethod only = ctor.newInstance(args);
      try {
        RoutePlan.HeaderCondition c = Routes.condition("x-h", only, false);
        assertThat(c).as(members[i].getName()).isNotInstanceOf(RoutePlan.HeaderCondition.Present.class);
        kinds.add(c.getClass());
      } catch (IllegalStateException e) {
        untranslated.add(members[i].getName());
      }
    }

    assertThat(untranslated).as("members with no condition kind").isEmpty();
    assertThat(kinds).as("one kind per member").hasSize(members.length);
  }

  @Test
  void aMatchMethodWithNoMemberIsABugNotAnEmptyCondition() {
    assertThatThrownBy(() -> Routes.condition("x-h", new HeaderMatchMethod(null, null, null, null, null), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("header x-h");
  }

  @Test
  void conditionsSortByNameThenKindThenValue() {
    List<RoutePlan.HeaderCondition> sorted = Routes.headers(List.of(
        new HeaderMatch("b", null, null),
        new HeaderMatch("a", new HeaderMatchMethod(null, null, new MatchRange(1L, 5L), null, null), null),
        new HeaderMatch("a", HeaderMatchMethod.exactly("z"), null),
        new HeaderMatch("A", HeaderMatchMethod.exactly("y"), true)));

    assertThat(sorted).containsExactly(
        new RoutePlan.HeaderCondition.Exact("a", "y", true),
        new RoutePlan.HeaderCondition.Exact("a", "z", false),
        new RoutePlan.HeaderCondition.Range("a", 1, 5, false),
        new RoutePlan.HeaderCondition.Present("b", false));
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "v";
    }
    if (type == MatchRange.class) {
      return new MatchRange(1L, 5L);
    }
    throw new AssertionError("no sample value for a member of type " + type + "; add one here");
  }
}
