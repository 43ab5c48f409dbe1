import { Command, Option } from "commander";
import { UserError, findProjectDir } from "./project";
import { promote } from "./promote";
import { type EditResult, type RolloutOptions, needsEvidence, rolloutAdvance, rolloutFinish, rolloutRollback, rolloutStatus } from "./rollout";
import type { Analysis } from "./analysis/analyze";

/** `llmops promote MODEL VERSION --from S --to T`. */
export function promoteCommand(): Command {
  return new Command("promote")
    .description("copy a fully rolled-out model version from one stack file to another, as candidate at the first stage")
    .argument("<model>")
    .argument("<version>")
    .requiredOption("--from <stack>", "the stack where the version is fully rolled out")
    .requiredOption("--to <stack>", "the stack to promote it into")
    .option("--force", "replace a candidate that is in flight in the target")
    .option("-n, --dry-run", "print the edits without writing them")
    .action((model: string, version: string, opts: { from: string; to: string; force?: boolean; dryRun?: boolean }) => {
      console.log(promote({ dir: findProjectDir(), model, version, ...opts }).message);
    });
}

const VERBS: readonly [string, string, (o: RolloutOptions) => EditResult | string][] = [
  ["status", "where the rollout stands, and what can be done next", rolloutStatus],
  ["advance", "move the candidate one stage forward (never skips in prod)", rolloutAdvance],
  ["rollback", "send all traffic back to stable; the candidate stays deployed without traffic", rolloutRollback],
  ["finish", "make a fully rolled-out candidate the stable version; the old one is undeployed", rolloutFinish],
];

/** `llmops rollout status|advance|rollback|finish MODEL --stack S`. */
export function rolloutCommand(): Command {
  const rollout = new Command("rollout").description("move a model's rollout through its stages by editing the stack file");
  for (const [verb, description, run] of VERBS) {
    const command = rollout.command(verb).description(description).argument("<model>").requiredOption("-s, --stack <name>", "the stack file to read or edit");
    if (verb === "advance") {
      command
        .option("--to <stage>", "go to this stage: outside prod any later one; in prod only the next (the first, to retry after a rollback)")
        .option("-e, --evidence <file>", "the gates' evidence: llmops rollout analyze --format json output, or recorded metrics (default: analyze Cloud Monitoring now)")
        .option("--force", "advance although the gates do not pass; --reason is recorded beside the stage with who forced it")
        .option("--reason <text>", "with --force: why")
        .option("--by <who>", "with --force: who (default: git config user.email, else $USER)");
    }
    if (verb !== "status") command.option("-n, --dry-run", "print the edit without writing it");
    command.action(async (model: string, opts: { stack: string; to?: string; dryRun?: boolean; evidence?: string; force?: boolean; reason?: string; by?: string }) => {
      const dir = findProjectDir();
      let analysis: Analysis | undefined;
      if (verb === "advance" && !opts.evidence && !opts.force && needsEvidence({ dir, model, ...opts })) {
        // The move itself must be possible before Cloud Monitoring is asked (a dry run past the gates writes nothing).
        rolloutAdvance({ dir, model, stack: opts.stack, to: opts.to, dryRun: true, force: true, reason: "pre-check", by: "pre-check" });
        const { rolloutAnalyze } = require("./analysis/command") as typeof import("./analysis/command");
        try {
          analysis = await rolloutAnalyze({ dir, model, stack: opts.stack });
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          throw new UserError(`cannot check ${model}'s gates in ${opts.stack}: ${err.message}\nGive the evidence with --evidence FILE (llmops rollout analyze --format json, or --record), or override with --force --reason "...".`);
        }
      }
      const result = run({ dir, model, ...opts, analysis });
      console.log(typeof result === "string" ? result : result.message);
    });
  }
  rollout
    .command("analyze")
    .description("compare the candidate with stable over a window of Cloud Monitoring metrics and decide: advance (exit 0), rollback (1) or hold (3)")
    .argument("[model]")
    .option("-m, --model <name>", "the model (or give it as the argument)")
    .requiredOption("-s, --stack <name>", "the stack file to read")
    .option("-w, --window <duration>", "how far back to read, e.g. 30m, 1h, 1d", "1h")
    .option("-f, --from-file <file>", "recorded projects.timeSeries.list responses by metric type, instead of reading Cloud Monitoring")
    .option("--record <file>", "write what a live run read, for a later --from-file")
    .addOption(new Option("--format <format>", "output").choices(["text", "json"]).default("text"))
    .action(async (arg: string | undefined, opts: { model?: string; stack: string; window: string; fromFile?: string; record?: string; format: "text" | "json" }) => {
      const model = arg ?? opts.model;
      if (!model) throw new UserError("rollout analyze needs a model: llmops rollout analyze MODEL --stack STACK");
      const { rolloutAnalyze } = require("./analysis/command") as typeof import("./analysis/command");
      const { EXIT_CODES, formatAnalysis } = require("./analysis/analyze") as typeof import("./analysis/analyze");
      const analysis = await rolloutAnalyze({ dir: findProjectDir(), model, stack: opts.stack, window: opts.window, fromFile: opts.fromFile, record: opts.record });
      console.log(opts.format === "json" ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
      process.exitCode = EXIT_CODES[analysis.verdict];
    });
  return rollout;
}
