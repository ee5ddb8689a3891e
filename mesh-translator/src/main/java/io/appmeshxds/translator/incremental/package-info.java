/**
 * The incremental engine: how a build after a change does only what the change can affect and
 * still gives what a build from scratch gives.
 *
 * <p>This package holds the engine's mechanism: {@link io.appmeshxds.translator.incremental.Reads}
 * records what a computation reads, {@link io.appmeshxds.translator.incremental.Dep} names each
 * thing that can be read (and is the key a change is announced with), and
 * {@link io.appmeshxds.translator.incremental.DepIndex} maps every dep to the computations that
 * read it. The stages drive it: {@code model.ModelState} re-evaluates the objects whose reads
 * changed, {@code plan.PlanSession} re-plans the proxies whose reads changed,
 * {@code plan.PlanContext.memo} shares sub-plans between proxies, and
 * {@code plan.ProxyPlanner.replan} with {@code plan.ProxyPlan.substitute} adapts a plan to changed
 * sub-plans instead of planning it again. Only {@code model} and {@code plan} use this package, and
 * it knows nothing of them (ArchitectureTest, {@code stages_depend_only_on_earlier_stages}).
 *
 * <h2>The contract</h2>
 *
 * Every computation the engine keeps (an object's evaluation, a proxy's plan, a memoized
 * sub-plan) must hold to these rules; each is what makes skipping work safe:
 *
 * <ol>
 *   <li><b>Everything read is recorded.</b> A computation's value depends only on its key and on
 *       what it reads through a recording accessor ({@code model.GraphMap}, {@code
 *       model.BuildContext}, {@code plan.PlanContext}), each of which calls {@link
 *       io.appmeshxds.translator.incremental.Reads#read} with the {@code Dep} it read. A value
 *       taken from anywhere else (a field set before the build, a static cache keyed by something
 *       other than the full input of the computation) is a bug the property tests below catch.
 *   <li><b>A change is announced with the dep it changes.</b> Whoever changes an input (the
 *       source of an object, a Service's EndpointSlices, a DNS answer, a Cloud Map answer) reports
 *       the same {@code Dep} value the readers recorded ({@code Dep} implementations are records:
 *       equality, not identity, matches them). A change announced under another key re-runs
 *       nothing and leaves a stale value.
 *   <li><b>Unchanged means the same instance.</b> A computation that is not re-run hands back the
 *       instance it produced before, and a re-run whose result equals the old one may hand back
 *       either. Later stages key caches by identity (the translator builds a route proto once per
 *       virtual-host plan instance; {@code ProxyPlan.substitute} finds the sub-plans it replaces by
 *       identity), so a new but equal instance costs work and never changes a result, while an
 *       instance mutated after it was handed out would. Plans and model values are therefore
 *       immutable records of immutable lists.
 *   <li><b>Substitution is all or nothing.</b> {@code ProxyPlan.substitute} returns null unless
 *       every replaced instance occurs in the plan (a plan that does not hold a sub-plan as it was
 *       planned, e.g. with trimmed domains, is planned again from scratch).
 *   <li><b>Recording is scoped to one call.</b> {@link
 *       io.appmeshxds.translator.incremental.Reads#record} opens a frame on the caller's thread
 *       and closes it before it returns; frames nest, and an inner memoized computation is
 *       recorded by its outer one as a {@code Dep.Memo}. Nothing outlives the call, and a value
 *       never depends on whether it was recorded.
 * </ol>
 *
 * <h2>What guards it</h2>
 *
 * Property tests that run random edits and compare each incremental result with a build from
 * scratch: {@code model.IncrementalBuildTest} (model and plans, with random mutations of the
 * example meshes), {@code bench}'s {@code IncrementalTranslationTest} (model, plans and Envoy
 * resources over a generated mesh), {@code plan.PlanAdaptationTest} (adapted plans equal plans
 * made from scratch, and it fails when the "every replaced part was found" rule is dropped), and
 * {@code incremental.DepIndexTest}'s random operations against a plain
 * map of sets.
 *
 * <p>Pure like the rest of the translator: no I/O, no clock, no threads. The one thread-local of
 * the module is {@code Reads}' frame (ArchitectureTest, {@code only_reads_holds_a_thread_local}):
 * the reads happen inside map lookups that planners in three modules make, and passing a recorder
 * to each would put the engine's bookkeeping in every planner's signature.
 */
package io.appmeshxds.translator.incremental;
