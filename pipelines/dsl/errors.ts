/** One mistake in a component or pipeline definition: where it is and what is wrong. */
export interface DslProblem {
  /** What the problem is attached to, e.g. `task "evaluate"` or `component "train"`. */
  readonly where: string;
  /** What was wrong and, where it helps, what is allowed. */
  readonly message: string;
}

/**
 * A component or pipeline that cannot be compiled. Carries every problem found, so that one run
 * reports them all.
 */
export class PipelineDefinitionError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: readonly DslProblem[],
  ) {
    super(formatProblems(subject, problems));
    this.name = "PipelineDefinitionError";
  }
}

function formatProblems(subject: string, problems: readonly DslProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`${subject} has ${count}:`, ...problems.map((p) => `  ${p.where}: ${p.message}`)].join("\n");
}

/** `word` with its indefinite article, as a sentence needs it: "an integer", "a STRING", "an undefined". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}

/** Throws one error listing `problems`, if there are any. */
export function throwIfProblems(subject: string, problems: readonly DslProblem[]): void {
  if (problems.length > 0) throw new PipelineDefinitionError(subject, problems);
}
