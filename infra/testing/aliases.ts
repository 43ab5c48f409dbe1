/**
 * The alias URNs the Pulumi engine matches against old state for one registration, computed the
 * way the engine does it from what the SDK sends. The rules are those of pulumi/pulumi
 * `pkg/resource/deploy/step_generator.go` (`generateAliases`, `collapseAliasToUrn`,
 * `inheritedChildAlias`, `getOldResource`), `pkg/resource/deploy/source_eval.go` (how a
 * `RegisterResourceRequest`'s aliases become `resource.Alias` values) and
 * `sdk/go/common/resource/alias.go` (`CreateURN`), read at 1b59498 (2026-08-21).
 *
 * One difference is deliberate. The engine inherits a child's alias from the one alias its
 * parent actually matched in old state (`sg.aliases[parent]`); offline there is no old state, so
 * the child gets an alias for each alias its parent could have matched. That is the product the
 * Node SDK itself sends when the engine cannot take alias specs (`allAliases` in
 * `@pulumi/pulumi/resource.js`: (M+1)(N+1)-1 aliases for M parent and N own aliases). The diff,
 * which has the old plan, then picks the alias that names an old resource, as the engine would.
 */

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** One alias as the SDK sends it (proto `pulumirpc.Alias`): a whole URN, or a spec the engine completes. */
export type AliasSpec =
  | { readonly urn: string }
  | {
      /** Empty: the resource's current name (likewise type, stack, project). */
      readonly name: string;
      readonly type: string;
      readonly stack: string;
      readonly project: string;
      /** Empty: the resource's current parent (unless `noParent`). */
      readonly parentUrn: string;
      readonly noParent: boolean;
    };

/** What the engine knows of one registration when it computes its aliases. */
export interface AliasTarget {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The parent's URN as the request carries it (the stack's URN for top-level resources), or "". */
  readonly parent: string;
  readonly aliases: readonly AliasSpec[];
}

/** The subset of `pulumirpc.Alias` (`@pulumi/pulumi/proto/alias_pb.js`) read here. */
interface AliasMessage {
  hasSpec(): boolean;
  getUrn(): string;
  getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}

/** The aliases of a `RegisterResourceRequest` (`getAliasesList()`), as plain values. */
export function readAliasSpecs(messages: readonly unknown[]): AliasSpec[] {
  return (messages as AliasMessage[]).map((m) => {
    const spec = m.hasSpec() ? m.getSpec() : undefined;
    if (!spec) return { urn: m.getUrn() };
    return { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject(), parentUrn: spec.getParenturn(), noParent: spec.getNoparent() };
  });
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; the name may itself hold `::`. */
function parts(urn: string): { qualifiedType: string; name: string } {
  const fields = urn.slice("urn:pulumi:".length).split("::");
  return { qualifiedType: fields[2] ?? "", name: fields.slice(3).join("::") };
}

const isRootStack = (urn: string) => urn !== "" && parts(urn).qualifiedType === ROOT_STACK_TYPE;
const typeOf = (urn: string) => parts(urn).qualifiedType.split("$").pop() ?? "";

/** `resource.CreateURN`: under a parent, the parent's URN up to its name, then `$type::name`. */
function createUrn(name: string, type: string, parent: string, project: string, stack: string): string {
  if (parent === "") return `urn:pulumi:${stack}::${project}::${type}::${name}`;
  return `${parent.slice(0, parent.lastIndexOf("::"))}$${type}::${name}`;
}

/** `urn.New`: the parent's qualified type (none for the stack) chained before the type. */
function newUrn(stack: string, project: string, parentType: string, type: string, name: string): string {
  const qualified = parentType !== "" && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The alias a child gets from an alias of its parent (`inheritedChildAlias`): the parent's old
 * type chain, and, when the child's name starts with the parent's name (the `<parent>-<role>`
 * convention), the parent's old name in its place. Always in the current stack and project.
 */
function inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string, stack: string, project: string): string {
  const name = childName.startsWith(parentName) ? parts(parentAlias).name + childName.slice(parentName.length) : childName;
  return newUrn(stack, project, parts(parentAlias).qualifiedType, childType, name);
}

/**
 * Every alias URN the engine could match against old state for `target`, sorted: its own
 * aliases completed with its name, type, parent, stack and project, plus what it inherits from
 * its parent's aliases. `aliasesOf` gives the aliases already computed for an earlier
 * registration (a parent, or a parent named in an alias spec): the SDK only sends a request once
 * those URNs are known, so they were registered first. The resource's own URN is left out: the
 * engine looks it up before any alias.
 */
export function engineAliases(target: AliasTarget, aliasesOf: (urn: string) => readonly string[], stack: string, project: string): string[] {
  const collapsed = (alias: AliasSpec): string[] => {
    if ("urn" in alias) return [alias.urn];
    const name = alias.name || target.name;
    const type = alias.type || target.type;
    // An explicit parent that was itself matched through an alias stands for that old URN
    // (`collapseAliasToUrn`); which one it matched is unknown offline, so each is tried.
    const parents = alias.noParent ? [""] : alias.parentUrn === "" ? [target.parent] : [alias.parentUrn, ...aliasesOf(alias.parentUrn)];
    return parents.map((p) => createUrn(name, type, isRootStack(p) ? "" : p, alias.project || project, alias.stack || stack));
  };
  const out = new Set<string>();
  const own = target.aliases.flatMap(collapsed);
  for (const urn of own) out.add(urn);
  const parentName = target.parent === "" ? "" : parts(target.parent).name;
  for (const parentAlias of target.parent === "" ? [] : aliasesOf(target.parent)) {
    out.add(inheritedChildAlias(target.type, target.name, parentName, parentAlias, stack, project));
    for (const urn of own) out.add(inheritedChildAlias(typeOf(urn), parts(urn).name, parentName, parentAlias, stack, project));
  }
  out.delete(target.urn);
  return [...out].sort();
}
