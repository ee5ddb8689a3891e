package io.appmeshxds.translator.model;

import io.appmeshxds.translator.api.BackendGroup;
import io.appmeshxds.translator.api.GatewayRoute;
import io.appmeshxds.translator.api.Kind;
import io.appmeshxds.translator.api.Mesh;
import io.appmeshxds.translator.api.MeshObject;
import io.appmeshxds.translator.api.VirtualGateway;
import io.appmeshxds.translator.api.VirtualNode;
import io.appmeshxds.translator.api.VirtualRouter;
import io.appmeshxds.translator.api.VirtualService;
import io.appmeshxds.translator.input.MeshResources;
import io.appmeshxds.translator.input.ObjectRef;
import io.appmeshxds.translator.status.Condition;
import io.appmeshxds.translator.status.ObjectStatus;
import io.appmeshxds.translator.input.Problem;
import io.appmeshxds.translator.input.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates and resolves one object version against the current {@link BuildContext}, and words its
 * status. What it reads goes through the context, so the caller can record it.
 */
final class Evaluator {

  /** One version's outcome: its problems, and when they hold no error, its mesh and resolution. */
  record Evaluation(MeshObject object, String mesh, Object resolved, List<Problem> problems) {
    boolean ok() {
      return problems.stream().noneMatch(Problem::isError);
    }
  }

  /**
   * The current version's evaluation, and the one to serve: the current version when it passes,
   * else the last good version when that one still passes, else none.
   */
  record Outcome(Evaluation current, Evaluation used) {}

  private final LocalRuleCache rules;
  private final List<ObjectValidator> validators;
  private final BuildContext ctx;

  Evaluator(LocalRuleCache rules, List<ObjectValidator> validators, BuildContext ctx) {
    this.rules = rules;
    this.validators = validators;
    this.ctx = ctx;
  }

  Outcome outcome(MeshObject current, MeshObject lastGood) {
    Evaluation cur = evaluate(current);
    Evaluation used = cur.ok() ? cur : null;
    if (used == null && lastGood != null && !lastGood.equals(current)) {
      Evaluation old = evaluate(lastGood);
      used = old.ok() ? old : null;
    }
    return new Outcome(cur, used);
  }

  private Evaluation evaluate(MeshObject o) {
    Findings f = new Findings(ObjectRef.of(o));
    f.addAll(rules.get(o));
    for (ObjectValidator v : validators) {
      f.addAll(v.validate(o));
    }
    if (o instanceof Mesh m) {
      return new Evaluation(o, Names.awsName(m), null, f.list());
    }
    Mesh mesh = ctx.meshOf(o, f);
    if (mesh == null) {
      return new Evaluation(o, null, null, f.list());
    }
    String meshName = Names.awsName(mesh);
    if (ctx.accepted(ObjectRef.of(mesh)) == null) {
      f.error(Reason.MeshNotActive, "", "mesh " + mesh.name() + " is rejected; see its status");
    }
    ctx.checkNameConflict(o, meshName, f);
    if (f.hasErrors()) {
      return new Evaluation(o, meshName, null, f.list());
    }
    Object resolved = null;
    try {
      if (o instanceof VirtualNode vn) {
        resolved = NodeResolver.resolve(vn, meshName, ctx, f);
        NodeResolver.cloudMap(vn, mesh, ctx, f);
      } else if (o instanceof VirtualRouter vr) {
        resolved = RouterResolver.resolve(vr, meshName, ctx, f);
      } else if (o instanceof VirtualService vs) {
        resolved = ServiceResolver.resolve(vs, meshName, ctx, f);
      } else if (o instanceof VirtualGateway vg) {
        resolved = vg;
      } else if (o instanceof GatewayRoute gr) {
        resolved = GatewayResolver.resolve(gr, meshName, ctx, f);
      } else if (o instanceof BackendGroup bg) {
        NodeResolver.check(bg, meshName, ctx, f);
      }
    } catch (RuntimeException e) {
      // A resolver bug rejects this object only; everything else is still built.
      f.error(Reason.InvalidSpec, "", "internal error while resolving: " + e);
    }
    return new Evaluation(o, meshName, resolved, f.list());
  }

  /** The status of an object from its problems (with sources attached); {@code current} null: it did not load. */
  static ObjectStatus status(
      ObjectRef ref, MeshObject current, List<Problem> problems, boolean rejected, Long served, MeshResources in) {
    List<Problem> withSources = attachSources(problems, in);
    Kind kind = ref.appMeshKind();
    long generation = current == null ? 0 : current.metadata().generationOrZero();
    Condition c = null;
    if (kind != null && kind.conditionType() != null) {
      if (!rejected) {
        long warnings = withSources.stream().filter(p -> !p.isError()).count();
        c = new Condition(kind.conditionType(), "True", Reason.Accepted, warnings == 0 ? "" : warnings + " warning(s): "
            + join(withSources, false));
      } else {
        Problem first = withSources.stream().filter(Problem::isError).findFirst().orElseThrow();
        String msg = join(withSources, true);
        if (served != null) {
          msg += " (still serving the last accepted version, generation " + served + ")";
        }
        c = new Condition(kind.conditionType(), "False", first.reason(), msg);
      }
    }
    return new ObjectStatus(ref, generation, c, withSources, served);
  }

  private static String join(List<Problem> ps, boolean errors) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : ps) {
      if (p.isError() == errors) {
        if (sb.length() > 0) {
          sb.append("; ");
        }
        sb.append(p.fieldAndMessage());
      }
    }
    return sb.length() > 4000 ? sb.substring(0, 4000) + "…" : sb.toString();
  }

  static List<Problem> attachSources(List<Problem> ps, MeshResources in) {
    List<Problem> out = new ArrayList<>(ps.size());
    for (Problem p : ps) {
      out.add(p.source() == null && p.object() != null && in.sources().containsKey(p.object())
          ? p.withSource(in.sources().get(p.object())) : p);
    }
    return out;
  }
}
