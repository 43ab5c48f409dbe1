import type { PlannedResource } from "../../lib/plan";
import type { PlanGraph } from "./graph";

export type PreflightSeverity = "error" | "warning";

/** One apply-time precondition a plan breaks (or cannot show it meets). */
export interface PreflightFinding {
  readonly rule: string;
  readonly severity: PreflightSeverity;
  /** The resource whose create, update or delete would fail. */
  readonly urn: string;
  /** What would fail, then what to change. */
  readonly message: string;
  /** Where the precondition is documented. */
  readonly source: string;
}

/** An order the plan must keep: `urn` is created only after `target`. Tests cut these to prove they are checked. */
export interface Requirement {
  readonly rule: string;
  readonly urn: string;
  /** One of these must be waited for (usually exactly one). */
  readonly targets: readonly string[];
}

export interface PreflightRule {
  /** Stable id, printed with every finding. */
  readonly id: string;
  /** One line for `llmops preflight --list` and the README. */
  readonly summary: string;
  readonly check: (ctx: CheckContext) => void;
}

/** What a rule reports into: findings, and the orders it required (met or not). */
export class CheckContext {
  readonly findings: PreflightFinding[] = [];
  readonly requirements: Requirement[] = [];

  constructor(
    readonly graph: PlanGraph,
    private readonly rule: string,
  ) {}

  report(severity: PreflightSeverity, r: PlannedResource | string, message: string, source: string): void {
    this.findings.push({ rule: this.rule, severity, urn: typeof r === "string" ? r : r.urn, message, source });
  }

  /**
   * `r` must be created after one of `targets` (all of them in the plan). Reports an error with
   * `why` and `fix` when it waits for none.
   */
  requireWait(r: PlannedResource, targets: readonly PlannedResource[], why: string, fix: string, source: string): boolean {
    if (targets.length === 0) return false;
    this.requirements.push({ rule: this.rule, urn: r.urn, targets: targets.map((t) => t.urn) });
    if (targets.some((t) => this.graph.waits(r.urn, t.urn))) return true;
    const names = targets.map((t) => `${t.type.split(":").pop()} ${t.name}`).join(" or ");
    this.report("error", r, `${why}, but it does not wait for ${names}. ${fix}`, source);
    return false;
  }
}

/** `Type name` for messages. */
export function label(r: PlannedResource): string {
  return `${r.type.split(":").pop()} ${r.name}`;
}
