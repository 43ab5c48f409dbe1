import type { Channel } from "./channels";
import type { DslProblem } from "./errors";
import { TASK_NAME_PATTERN, uniqueName } from "./names";
import type { Task, TaskContext } from "./task";

/**
 * The state of one pipeline definition while its body runs: every task in creation order, the
 * pipeline-wide name counters, and the problems found so far (reported together by `compile`).
 */
export class PipelineContext implements TaskContext {
  readonly tasks: Task[] = [];
  readonly problems: DslProblem[] = [];
  /** Every channel of the pipeline by its pattern, to resolve channels embedded in strings. */
  readonly channels = new Map<string, Channel>();
  private readonly taskNames = new Set<string>();
  private groupCounter = 0;

  constructor(readonly pipelineName: string) {}

  /** The SDK's `get_next_group_id`: one counter for all groups and static loop items. */
  nextGroupId(): number {
    return ++this.groupCounter;
  }

  /**
   * Task names are unique across the whole pipeline, not per DAG: a derived name gets `-2`, `-3`,
   * … (like the SDK); an explicit name must be free.
   */
  claimTaskName(base: string, explicit: boolean): string {
    if (explicit) {
      if (!TASK_NAME_PATTERN.test(base)) {
        this.problem(`task "${base}"`, "is not a valid task name; allowed: lower-case letters, digits and single dashes, such as \"train-model\"");
      } else if (this.taskNames.has(base)) {
        this.problem(`task "${base}"`, "duplicate task name; allowed: a name not used by another task of this pipeline");
      }
      this.taskNames.add(base);
      return base;
    }
    const name = uniqueName(base, this.taskNames);
    this.taskNames.add(name);
    return name;
  }

  problem(where: string, message: string): void {
    this.problems.push({ where, message });
  }
}
