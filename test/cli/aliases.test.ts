import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AliasSpec, engineAliases } from "../../infra/testing/aliases";
import type { Plan, PlannedResource } from "../../lib/plan";
import { render, renderCommitted } from "../helpers/render";
import { committed } from "./cli";

const STACK = "stack";
const PROJECT = "project";
const spec = (s: Partial<Exclude<AliasSpec, { urn: string }>>): AliasSpec => ({ name: "", type: "", stack: "", project: "", parentUrn: "", noParent: false, ...s });

describe("engine aliases: the engine's own cases (pulumi/pulumi step_generator_test.go, TestGenerateAliases)", () => {
  // GIVEN the child `myres-child` of `myres` (test:resource:type), as in the engine's test
  const parent = "urn:pulumi:stack::project::test:resource:type::myres";
  const child = { urn: `urn:pulumi:stack::project::test:resource:type$test:resource:child::myres-child`, type: "test:resource:child", name: "myres-child", parent };
  const parentTypeAlias = "urn:pulumi:stack::project::test:resource:type2::myres";
  const parentNameAlias = "urn:pulumi:stack::project::test:resource:type::myres2";

  it.each<[string, string | undefined, AliasSpec[], string[]]>([
    ["no aliases", undefined, [], []],
    ["child alias (type), no parent aliases", undefined, [spec({ type: "test:resource:child2" })], ["urn:pulumi:stack::project::test:resource:type$test:resource:child2::myres-child"]],
    ["child alias (name), no parent aliases", undefined, [spec({ name: "child2" })], ["urn:pulumi:stack::project::test:resource:type$test:resource:child::child2"]],
    ["child alias (type, noParent), no parent aliases", undefined, [spec({ type: "test:resource:child2", noParent: true })], ["urn:pulumi:stack::project::test:resource:child2::myres-child"]],
    [
      "child alias (type, parent), no parent aliases",
      undefined,
      [spec({ type: "test:resource:child2", parentUrn: "urn:pulumi:stack::project::test:resource:original::originalparent" })],
      ["urn:pulumi:stack::project::test:resource:original$test:resource:child2::myres-child"],
    ],
    [
      "child alias (name), parent alias (type)",
      parentTypeAlias,
      [spec({ name: "myres-child2" })],
      [
        "urn:pulumi:stack::project::test:resource:type$test:resource:child::myres-child2",
        "urn:pulumi:stack::project::test:resource:type2$test:resource:child::myres-child",
        "urn:pulumi:stack::project::test:resource:type2$test:resource:child::myres-child2",
      ],
    ],
    [
      "child alias (name), parent alias (name)",
      parentNameAlias,
      [spec({ name: "myres-child2" })],
      [
        "urn:pulumi:stack::project::test:resource:type$test:resource:child::myres-child2",
        "urn:pulumi:stack::project::test:resource:type$test:resource:child::myres2-child",
        "urn:pulumi:stack::project::test:resource:type$test:resource:child::myres2-child2",
      ],
    ],
  ])("%s", (_case, parentAlias, aliases, expected) => {
    // WHEN the parent matched `parentAlias` in old state (the engine's `sg.aliases[parent]`)
    const aliasesOf = (urn: string) => (urn === parent && parentAlias ? [parentAlias] : []);
    // THEN the child's aliases are the engine's, sorted
    expect(engineAliases({ ...child, aliases }, aliasesOf, STACK, PROJECT)).toEqual([...expected].sort());
  });

  it("spells the stack parent as no parent, takes whole URNs as given, and leaves out the resource's own URN", () => {
    const stackUrn = "urn:pulumi:stack::project::pulumi:pulumi:Stack::project-stack";
    const top = { urn: "urn:pulumi:stack::project::test:x:Net::net", type: "test:x:Net", name: "net", parent: stackUrn };
    // The Node SDK fills a spec's parent with the resource's own parent when the alias names none.
    expect(engineAliases({ ...top, aliases: [spec({ name: "old", parentUrn: stackUrn })] }, () => [], STACK, PROJECT)).toEqual(["urn:pulumi:stack::project::test:x:Net::old"]);
    expect(engineAliases({ ...top, aliases: [{ urn: "urn:pulumi:stack::project::test:x:Net::older" }, spec({ parentUrn: stackUrn })] }, () => [], STACK, PROJECT)).toEqual([
      "urn:pulumi:stack::project::test:x:Net::older",
    ]);
  });

  it("tries each old URN of an alias's parent, which offline may have matched either way", () => {
    const moved = "urn:pulumi:stack::project::test:x:Outer$test:x:Inner::inner";
    const target = { urn: `urn:pulumi:stack::project::test:x:Outer$test:x:Inner$test:x:Thing::thing`, type: "test:x:Thing", name: "thing", parent: moved, aliases: [spec({ name: "old", parentUrn: moved })] };
    const aliasesOf = (urn: string) => (urn === moved ? ["urn:pulumi:stack::project::test:x:Inner::inner"] : []);
    expect(engineAliases(target, aliasesOf, STACK, PROJECT)).toEqual([
      "urn:pulumi:stack::project::test:x:Inner$test:x:Thing::old",
      "urn:pulumi:stack::project::test:x:Inner$test:x:Thing::thing",
      "urn:pulumi:stack::project::test:x:Outer$test:x:Inner$test:x:Thing::old",
    ]);
  });
});

/** A program that moves and renames components, rendered like a stack (the committed dev config, unused). */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
class Thing extends pulumi.CustomResource {
  constructor(name: string, opts?: pulumi.CustomResourceOptions) { super("test:index:Thing", name, { size: 1 }, opts); }
}
class Group extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Group", name, {}, opts);
    const thing = new Thing(name + "-thing", { parent: this });
    new Thing(name + "-leaf", { parent: thing });
  }
}
const outer = new Group("outer");
new Group("moved", { parent: outer, aliases: [{ parent: pulumi.rootStackResource }] });
new Group("renamed", { parent: outer, aliases: [{ name: "old" }] });
new Thing("by-urn", { aliases: ["urn:pulumi:dev::llmops::test:index:Thing::older"] });
`;

describe("plans carry the aliases the engine would match", () => {
  let dir: string;
  let mini: Plan;
  let dev: Plan;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-aliases-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: llmops\nruntime: nodejs\nmain: program.ts\n");
    fs.writeFileSync(path.join(dir, "program.ts"), PROGRAM);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), committed("dev"));
    fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"));
    const [reply, plans] = await Promise.all([render({ dir, stack: "dev" }), renderCommitted("dev")]);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    mini = reply.plan;
    dev = plans.dev;
  }, 240_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const aliasesOf = (plan: Plan, name: string) => plan.resources.find((r) => r.name === name)!.options.aliases;
  const U = "urn:pulumi:dev::llmops::";

  it("the stack VPC, moved under llmops:gke:Network and then llmops:gke:Capacity, keeps both earlier URNs as aliases", () => {
    const network = dev.resources.find((r) => r.type === "gcp:compute/network:Network")!;
    expect(network.urn).toBe(`${U}llmops:gke:Capacity$llmops:gke:Network$gcp:compute/network:Network::gke-network`);
    expect(network.parent).toBe(`${U}llmops:gke:Capacity$llmops:gke:Network::gke`);
    // Its own alias (no parent), and the one inherited from its component's move to the root.
    expect(network.options.aliases).toEqual([`${U}gcp:compute/network:Network::gke-network`, `${U}llmops:gke:Network$gcp:compute/network:Network::gke-network`]);
  });

  it("a resource without aliases has an empty list, and the providers' own type aliases reach children", () => {
    expect(aliasesOf(dev, "storage-models")).toEqual([]);
    // @pulumi/gcp declares the old type token gcp:serviceAccount/account:Account as an alias;
    // the node account's grants are its children and inherit it, in the engine's type chain.
    // The cluster component moved under llmops:gke:Capacity: its old top-level chain is inherited too.
    expect(aliasesOf(dev, "gke-us-central1-nodes")).toEqual([
      `${U}llmops:gke:Capacity$llmops:gke:Cluster$gcp:serviceAccount/account:Account::gke-us-central1-nodes`,
      `${U}llmops:gke:Cluster$gcp:serviceAccount/account:Account::gke-us-central1-nodes`,
      `${U}llmops:gke:Cluster$gcp:serviceaccount/account:Account::gke-us-central1-nodes`,
    ]);
    expect(aliasesOf(dev, "gke-us-central1-nodes-monitoring-viewer")).toEqual([
      `${U}llmops:gke:Capacity$llmops:gke:Cluster$gcp:serviceAccount/account:Account$gcp:projects/iAMMember:IAMMember::gke-us-central1-nodes-monitoring-viewer`,
      `${U}llmops:gke:Cluster$gcp:serviceAccount/account:Account$gcp:projects/iAMMember:IAMMember::gke-us-central1-nodes-monitoring-viewer`,
      `${U}llmops:gke:Cluster$gcp:serviceaccount/account:Account$gcp:projects/iAMMember:IAMMember::gke-us-central1-nodes-monitoring-viewer`,
    ]);
  });

  it("a re-parented component's children and grandchildren inherit its old URN", () => {
    expect(aliasesOf(mini, "moved")).toEqual([`${U}test:index:Group::moved`]);
    expect(aliasesOf(mini, "moved-thing")).toEqual([`${U}test:index:Group$test:index:Thing::moved-thing`]);
    expect(aliasesOf(mini, "moved-leaf")).toEqual([`${U}test:index:Group$test:index:Thing$test:index:Thing::moved-leaf`]);
    expect(aliasesOf(mini, "outer-thing")).toEqual([]);
  });

  it("a renamed component's children take the old name in their <parent>-<role> names, grandchildren only their parent's", () => {
    expect(aliasesOf(mini, "renamed")).toEqual([`${U}test:index:Group$test:index:Group::old`]);
    expect(aliasesOf(mini, "renamed-thing")).toEqual([`${U}test:index:Group$test:index:Group$test:index:Thing::old-thing`]);
    // The engine swaps only the immediate parent's name: `renamed-leaf` does not start with
    // `renamed-thing`, so what it inherits is its own URN, and the old `old-leaf` is not matched.
    expect(aliasesOf(mini, "renamed-leaf")).toEqual([]);
  });

  it("a whole-URN alias is kept as written", () => {
    expect(aliasesOf(mini, "by-urn")).toEqual([`${U}test:index:Thing::older`]);
  });

  it("every resource has a sorted list", () => {
    for (const r of [...mini.resources, ...dev.resources] as PlannedResource[]) expect(r.options.aliases).toEqual([...(r.options.aliases ?? [])].sort());
  });
});
