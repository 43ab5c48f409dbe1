import { RunError } from "@pulumi/pulumi/errors";
import { type ConfigProblem, formatProblems } from "./problems";

export { type ConfigProblem, formatKeyPath, formatProblems, problemsFromIssues } from "./problems";

/**
 * A user's configuration mistake. It extends Pulumi's `RunError` so that `pulumi up` prints the
 * message alone, without a stack trace, and it carries every problem at once.
 */
export class ConfigError extends RunError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
  }
}
