import type { CostDelta } from "./cost";

/**
 * The diff report: what `llmops diff` prints as text or markdown and writes as JSON for bots.
 * Everything a formatter shows is in here, so the JSON and the comment never disagree.
 */

/** How `llmops diff` prints a report. */
export const FORMATS = ["text", "markdown", "json"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * What `pulumi up` does to a resource. `move`: nothing in the cloud; the resource's URN changes in
 * the state because an alias names its old URN (a new parent, or a new name). A moved resource
 * whose inputs also change is an `update` or a `replace` and says where it moved from.
 */
export type Action = "create" | "update" | "replace" | "delete" | "move";
export const ACTIONS: readonly Action[] = ["create", "update", "replace", "delete", "move"];

export type Counts = Record<Action, number>;

/** One changed input (or protection option) of a resource. Absent `before`/`after`: not set. */
export interface PropertyChange {
  /** `nodeConfig.guestAccelerators[0].type`, `options.protect`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Set when this change forces the replacement. */
  readonly forcesReplacement?: boolean;
}

export interface ReplaceReason {
  readonly path: string;
  readonly note?: string;
  readonly source: string;
}

export interface ComponentRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The top-level component the resource belongs to; null for resources directly under the stack. */
  readonly component: ComponentRef | null;
  readonly region: string;
  readonly action: Action;
  /**
   * The URN the resource has in the base plan when it differs from `urn`: one of its aliases
   * (`options.aliases` in the plan) names it. Set on every `move`, and on an `update` or
   * `replace` of a moved resource.
   */
  readonly movedFrom?: string;
  /** Create: every input; update and replace: what changed; delete and move: nothing. */
  readonly properties: readonly PropertyChange[];
  readonly replaceReasons: readonly ReplaceReason[];
  /** As the resource is now (before a delete or replace: the old options decide what happens). */
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface SplitRow {
  readonly region: string;
  readonly version: string;
  /** After the change: `stable`, `candidate`; or `undeployed` for a version that stops serving. */
  readonly role: string;
  /** Percent of traffic; null where the version is not deployed. */
  readonly before: number | null;
  readonly after: number | null;
}

export interface ModelChange {
  readonly model: string;
  /** "support-assistant, prod: 1.3.0 canary 10% → partial 50% in us-central1, europe-west4; stable 1.2.0 keeps 50%". */
  readonly sentences: readonly string[];
  readonly split: readonly SplitRow[];
}

export interface Danger {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly action: "replace" | "delete";
  readonly kind: "data loss" | "serving downtime" | "capacity loss" | "registry" | "access" | "missing alias";
  /** What the step does to the running system, in a sentence. */
  readonly consequence: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** A replaced or deleted accelerator node pool: the models whose servers run on it ("gemma-chat 1-0-0"). */
  readonly models?: readonly string[];
  /** Kind "missing alias" only: the created resource that is the deleted one (`urn`) moved, and the fix. */
  readonly missingAlias?: MissingAlias;
}

/**
 * A delete and a create that are one cloud resource whose URN changed without an alias: Pulumi
 * would delete it, then fail to create (or recreate empty) the same thing under its new URN.
 */
export interface MissingAlias {
  /** The created resource's URN. */
  readonly created: string;
  /** Why they are taken for one resource: `same name "llmops-dev"`, `identical inputs`. */
  readonly evidence: string;
  /** The resource whose options need the alias: the created one, or the component above it that moved. */
  readonly fixOn: string;
  /** The option to add there, as TypeScript: `aliases: [{ parent: pulumi.rootStackResource }]`. */
  readonly fix: string;
}

export interface AcceleratorCount {
  /** At the autoscaling minimum: what is held (and paid for) all the time. */
  readonly baseline: number;
  /** Every pool and deployment at its maximum. */
  readonly worstCase: number;
}

export interface AcceleratorDelta {
  readonly platform: "vertex" | "gke";
  readonly region: string;
  readonly accelerator: string;
  readonly before: AcceleratorCount;
  readonly after: AcceleratorCount;
}

/** A policy violation (issue 8 adds the policies; the report carries their findings). */
export interface Violation {
  readonly policy: string;
  readonly severity: "advisory" | "mandatory";
  readonly urn?: string;
  readonly message: string;
}

/** An apply-time precondition the change breaks (`llmops preflight`), new in the head plan. */
export interface PreflightIssue {
  readonly rule: string;
  readonly severity: "error" | "warning";
  readonly urn: string;
  readonly message: string;
}

/**
 * A dynamic provider whose serialised code changed (`__provider`): `pulumi up` records the new
 * code with an update of each resource (no API call), shown as one line, not per resource.
 */
export interface ProviderCodeChange {
  /** `vertex:EndpointDeployment`. */
  readonly provider: string;
  /** `pulumi-nodejs:dynamic/vertex:EndpointDeployment`. */
  readonly type: string;
  /** sha256 digests (hex, as the plans carry them) of the code before and after. */
  readonly before: string;
  readonly after: string;
  /** URNs (after the change) of the resources that record the new code. */
  readonly resources: readonly string[];
}

/** A check run over the head plan, reported even when it passes. */
export interface CheckRun {
  readonly check: "policies" | "preflight";
  /** Policies enabled for the stack's environment, or preflight rules. */
  readonly checked: number;
  /** Findings the head plan has and the base plan has not (the `violations` or `preflight` list). */
  readonly introduced: number;
  /** Every blocking finding of the head plan (mandatory violations, preflight errors), new or not. */
  readonly blocking: number;
}

export interface StackDiff {
  readonly stack: string;
  /** Stacks on one side only are all-create or all-delete. */
  readonly presence: "both" | "base only" | "head only";
  readonly counts: Counts;
  readonly models: readonly ModelChange[];
  readonly dangers: readonly Danger[];
  readonly accelerators: readonly AcceleratorDelta[];
  /** Monthly cost before → after (prices of the committed catalog), the lines that changed, budget crossings. */
  readonly cost: CostDelta;
  readonly violations: readonly Violation[];
  /** Preflight findings the head plan has and the base plan has not. */
  readonly preflight: readonly PreflightIssue[];
  /** What was checked, passing or not (empty when the head plan has no such stack or nothing registered a check). */
  readonly checks: readonly CheckRun[];
  /**
   * Providers whose code changed. Their resources are in `resources` and `counts` only when
   * something else about them changes too; `__provider` is never one of their property changes.
   */
  readonly providerCode: readonly ProviderCodeChange[];
  /** Changed stack outputs other than `models` (which the model sentences describe). */
  readonly outputs: readonly PropertyChange[];
  /** Changed resources, in URN order; unchanged ones are left out. */
  readonly resources: readonly ResourceChange[];
}

export interface SideInfo {
  /** As given on the command line: `main`, `plans/prod.json`, or `working tree`. */
  readonly spec: string;
  /** For people: `main (3f2a1c9)`. */
  readonly label: string;
  /** The full commit id of a git revision; for the working tree, the commit it is on (`HEAD`). */
  readonly commit?: string;
}

/** Where and when the report was made; CI passes the run's address. */
export interface ReportContext {
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly runUrl?: string;
}

/** What merging does to a stack, from the deploy workflow (`.github/workflows/deploy.yml`). */
export interface DeployStep {
  readonly stack: string;
  /** The workflow job that runs `pulumi up` for it. */
  readonly job: string;
  /** The GitHub environment the job runs in. */
  readonly environment?: string;
  /** True when that environment is listed as one whose required reviewers approve the deploy. */
  readonly approval: boolean;
}

export interface DiffReport {
  readonly base: SideInfo;
  readonly head: SideInfo;
  readonly context?: ReportContext;
  /** Per stack with a deploy job: what merging starts. Absent without a deploy workflow. */
  readonly deploys?: readonly DeployStep[];
  readonly stacks: readonly StackDiff[];
}

export function emptyCounts(): Counts {
  return { create: 0, update: 0, replace: 0, delete: 0, move: 0 };
}

export function hasChanges(stack: StackDiff): boolean {
  return stack.resources.length > 0 || stack.providerCode.length > 0 || stack.models.length > 0 || stack.outputs.length > 0 || stack.violations.length > 0 || stack.preflight.length > 0;
}
