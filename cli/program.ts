import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { ENVIRONMENTS, type Environment } from "../policies/types";
import { costCommand } from "./cost/command";
import { FORMATS } from "./diff/types";
import { UserError, findProjectDir } from "./project";

/*
 * The `llmops` command line: every command's arguments and options, each action loading its
 * implementation when it runs. Rendering pulls in the Pulumi SDK and the whole program, the
 * checks pull in the policy pack: seconds that `llmops --help` and the stack-file edits need not
 * pay. Only commander and constants load with this file.
 */

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `llmops plan`. */
function planCommand(): Command {
  return new Command("plan")
    .description("render each stack's desired state offline (the real program under Pulumi's mock runtime) to <out>/<stack>.json")
    .addOption(new Option("-s, --stack <name>", "stack to render (repeatable); default: every Pulumi.<stack>.yaml").argParser(collect))
    .option("-o, --out <dir>", "output folder", ".llmops/plan")
    .option("-q, --quiet", "print nothing but errors")
    .option("--no-cache", "render every stack, even one whose files and configuration are unchanged since its last render")
    .action(async (opts: { stack?: string[]; out: string; quiet?: boolean; cache: boolean }) => {
      const { plan } = await import("./plan");
      await plan({ dir: findProjectDir(), stacks: opts.stack, out: opts.out, quiet: opts.quiet, cache: opts.cache });
    });
}

/** `llmops diff [BASE] [HEAD]`. */
function diffCommand(): Command {
  return new Command("diff")
    .description("render BASE and HEAD and show what changes per stack: models and traffic, danger, accelerators and cost, then every resource")
    .argument("[base]", "git revision, plan file (.json) or folder of plan files", "main")
    .argument("[head]", "as base; default: the working tree")
    .addOption(new Option("-s, --stack <name>", "stack to compare (repeatable); default: every stack on either side").argParser(collect))
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .option("-o, --output <file>", "write the output here instead of stdout")
    .option("--json <file>", "also write the JSON report here (for bots, beside a markdown comment)")
    .option("--catalog <file>", "price catalog for the cost section instead of the committed policies/cost/catalog/prices.json")
    .option("--run-url <url>", "the CI run that makes the report, linked in the footer")
    .option("--no-cache", "render every stack, even one whose files and configuration are unchanged since its last render")
    .action(async (base: string, head: string | undefined, opts: { stack?: string[]; format: string; output?: string; json?: string; catalog?: string; runUrl?: string; cache: boolean }) => {
      const { diff } = await import("./diff");
      // llmops diff reports the policy violations a change introduces, the apply-time preconditions
      // it breaks, and what both checked, so that a pass is reported too.
      const { introducedViolations, policyCheck } = await import("../policies/diff");
      const { introducedFindings, preflightCheck } = await import("../policies/preflight/diff");
      await diff({
        dir: findProjectDir(),
        base,
        head,
        stacks: opts.stack,
        cache: opts.cache,
        format: opts.format,
        output: opts.output,
        json: opts.json,
        catalog: opts.catalog,
        runUrl: opts.runUrl,
        violationSources: [introducedViolations],
        preflightSources: [introducedFindings],
        checkSources: [policyCheck, preflightCheck],
      });
    });
}

/** `llmops promote MODEL VERSION --from S --to T`. */
function promoteCommand(): Command {
  return new Command("promote")
    .description("copy a fully rolled-out model version from one stack file to another, as candidate at the first stage")
    .argument("<model>")
    .argument("<version>")
    .requiredOption("--from <stack>", "the stack where the version is fully rolled out")
    .requiredOption("--to <stack>", "the stack to promote it into")
    .option("--force", "replace a candidate that is in flight in the target")
    .option("-n, --dry-run", "print the edits without writing them")
    .action(async (model: string, version: string, opts: { from: string; to: string; force?: boolean; dryRun?: boolean }) => {
      const { promote } = await import("./promote");
      console.log(promote({ dir: findProjectDir(), model, version, ...opts }).message);
    });
}

const ROLLOUT_VERBS = [
  ["status", "where the rollout stands, and what can be done next", "rolloutStatus"],
  ["advance", "move the candidate one stage forward (never skips in prod)", "rolloutAdvance"],
  ["rollback", "send all traffic back to stable; the candidate stays deployed without traffic", "rolloutRollback"],
  ["finish", "make a fully rolled-out candidate the stable version; the old one is undeployed", "rolloutFinish"],
] as const;

interface RolloutFlags {
  readonly stack: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly evidence?: string;
  readonly force?: boolean;
  readonly reason?: string;
  readonly by?: string;
}

/** `llmops rollout status|advance|rollback|finish|analyze MODEL --stack S`. */
function rolloutCommand(): Command {
  const rollout = new Command("rollout").description("move a model's rollout through its stages by editing the stack file");
  for (const [verb, description, name] of ROLLOUT_VERBS) {
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
    command.action(async (model: string, opts: RolloutFlags) => {
      const rollouts = await import("./rollout");
      const dir = findProjectDir();
      let analysis: import("./analysis/analyze").Analysis | undefined;
      if (verb === "advance" && !opts.evidence && !opts.force && rollouts.needsEvidence({ dir, model, ...opts })) {
        // The move itself must be possible before Cloud Monitoring is asked (a dry run past the gates writes nothing).
        rollouts.rolloutAdvance({ dir, model, stack: opts.stack, to: opts.to, dryRun: true, force: true, reason: "pre-check", by: "pre-check" });
        const { rolloutAnalyze } = await import("./analysis/command");
        try {
          analysis = await rolloutAnalyze({ dir, model, stack: opts.stack });
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          throw new UserError(`cannot check ${model}'s gates in ${opts.stack}: ${err.message}\nGive the evidence with --evidence FILE (llmops rollout analyze --format json, or --record), or override with --force --reason "...".`);
        }
      }
      const result = rollouts[name]({ dir, model, ...opts, analysis });
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
      const { rolloutAnalyze } = await import("./analysis/command");
      const { EXIT_CODES, formatAnalysis } = await import("./analysis/analyze");
      const analysis = await rolloutAnalyze({ dir: findProjectDir(), model, stack: opts.stack, window: opts.window, fromFile: opts.fromFile, record: opts.record });
      console.log(opts.format === "json" ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis));
      process.exitCode = EXIT_CODES[analysis.verdict];
    });
  return rollout;
}

/** `llmops policy`. */
export function policyCommand(): Command {
  return new Command("policy")
    .description("check stacks against the policy pack (the rules pulumi preview --policy-pack policies enforces), offline; exit 1 when a mandatory policy fails")
    .addOption(new Option("-s, --stack <name>", "stack to render and check (repeatable); default: every Pulumi.<stack>.yaml unless --plan is given").argParser(collect))
    .addOption(new Option("-p, --plan <file>", "plan file to check as it is (repeatable), as written by llmops plan").argParser(collect))
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("-c, --config <file>", "policy config (CrossGuard format, as for pulumi preview --policy-pack-config): levels and settings")
    .addOption(new Option("--print-config <environment>", "print the default policy config of an environment (policies/config/<environment>.json) and exit").choices([...ENVIRONMENTS]))
    .option("--no-cache", "render every stack, even one whose files and configuration are unchanged since its last render")
    .action(async (opts: { stack?: string[]; plan?: string[]; format: "text" | "json"; config?: string; printConfig?: Environment; cache: boolean }) => {
      if (opts.printConfig) {
        const { packConfig } = await import("../policies/config");
        const { canonicalJson } = await import("../lib/json");
        process.stdout.write(canonicalJson(packConfig(opts.printConfig)));
        return;
      }
      const { policy } = await import("./policy");
      await policy({ stacks: opts.stack, plans: opts.plan, format: opts.format, config: opts.config, cache: opts.cache });
    });
}

/** `llmops preflight`. */
function preflightCommand(): Command {
  return new Command("preflight")
    .description("check stacks against Google Cloud's apply-time rules (APIs, the deployer's permissions, what must exist first, provider regions), offline; exit 1 on any error")
    .addOption(new Option("-s, --stack <name>", "stack to render and check (repeatable); default: every Pulumi.<stack>.yaml unless --plan is given").argParser(collect))
    .addOption(new Option("-p, --plan <file>", "plan file to check as it is (repeatable), as written by llmops plan").argParser(collect))
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--no-cache", "render every stack, even one whose files and configuration are unchanged since its last render")
    .action(async (opts: { stack?: string[]; plan?: string[]; format: "text" | "json"; cache: boolean }) => {
      const { preflightCommandAction } = await import("./preflight");
      await preflightCommandAction({ stacks: opts.stack, plans: opts.plan, format: opts.format, cache: opts.cache });
    });
}

/** `llmops prices refresh`. */
function pricesCommand(): Command {
  return new Command("prices")
    .description("the dated price catalog that llmops cost, plan, diff and the monthly-budget policy price plans with (policies/cost/catalog/prices.json)")
    .addCommand(
      new Command("refresh")
        .description("rebuild the catalog from the Cloud Billing Catalog API (services.skus.list) with your Google credentials (Application Default Credentials)")
        .option("-o, --out <file>", "where to write the catalog; default: the committed policies/cost/catalog/prices.json")
        .option("--responses <file>", 'build from recorded Catalog API replies ({ "<serviceId>": [pages] }) instead of calling Google')
        .action(async (opts: { out?: string; responses?: string }) => {
          const { refreshPrices } = await import("./prices");
          await refreshPrices({ out: opts.out, responses: opts.responses });
        }),
    );
}

/** `llmops loadtest`. */
function loadtestCommand(): Command {
  return new Command("loadtest")
    .description("load-test a model version against its SLO: open loop (--rate, Poisson arrivals) or closed loop (--concurrency); writes report.json, report.md and SVG plots to --out")
    .requiredOption("-s, --stack <name>", "the stack whose model and SLO to use")
    .requiredOption("-m, --model <name>", "the model")
    .option("--version <version>", "the version whose promptTemplate formats the prompts (default: the candidate, else stable)")
    .option("--target <url>", "any URL speaking the protocol (default: the model's Vertex AI endpoint)")
    .addOption(new Option("--protocol <protocol>", "wire protocol").choices(["openai", "vertex-predict", "vertex-raw", "vertex-stream"]))
    .option("--rate <rps>", "open loop: requests per second (Poisson arrivals)", Number)
    .option("--concurrency <n>", "closed loop: requests in flight", Number)
    .requiredOption("--duration <d>", "how long, e.g. 30s, 5m")
    .option("--ramp <d>", "rise to the rate (or concurrency) over this long")
    .requiredOption("--prompts <file.jsonl>", "dataset records, formatted with the version's promptTemplate")
    .option("-o, --out <dir>", "write report.json, report.md and plots here")
    .option("--seed <n>", "seed of the arrivals and prompt order", Number, 1)
    .option("--max-tokens <n>", "max_tokens per request", Number, 256)
    .option("--timeout <d>", "per-request timeout", "10m")
    .action(async (opts: Omit<import("./loadtest/command").LoadTestOptions, "dir">) => {
      const { loadTest } = await import("./loadtest/command");
      const { markdown } = await import("./loadtest/report");
      const { report, files } = await loadTest({ dir: findProjectDir(), ...opts });
      console.log(markdown(report, `${opts.model} (${opts.stack})`));
      for (const f of files) console.log(`wrote ${path.relative(process.cwd(), f) || f}`);
      process.exitCode = report.verdict === "pass" ? 0 : 1;
    });
}

/** `llmops pipelines compile|run`. */
function pipelinesCommand(): Command {
  const pipelines = new Command("pipelines").description("Kubeflow pipelines written in TypeScript (pipelines/)");
  pipelines
    .command("compile")
    .description("compile every pipeline to the KFP v2 spec: <out>/<pipeline>.yaml (with --images, exactly what a stack publishes; without, the project's images keep their local names)")
    .option("-o, --out <dir>", "output folder", ".llmops/pipelines")
    .option("--images <file>", 'JSON of the project images by digest, {"steps": "…@sha256:…", "gpuSteps": "…"}: a stack\'s `pulumi stack output pipelines --json` .images')
    .action(async (opts: { out: string; images?: string }) => {
      const fs = await import("node:fs");
      const { compileAll, parseImages } = await import("../pipelines/compiler/cli");
      let images;
      if (opts.images) {
        const file = path.resolve(opts.images);
        if (!fs.existsSync(file)) throw new UserError(`--images: ${opts.images} does not exist`);
        try {
          images = parseImages(fs.readFileSync(file, "utf8"), opts.images);
        } catch (err) {
          throw new UserError(`--images: ${(err as Error).message}`);
        }
      }
      for (const file of compileAll(path.resolve(findProjectDir(), opts.out), images)) console.log(path.relative(process.cwd(), file) || file);
      if (!images) console.error("note: the project's images are named locally (llmops-local/…): these specs run with `llmops pipelines run --local`; for Vertex AI pass --images, or use the templates pulumi up publishes");
    });
  pipelines
    .command("run")
    .description("run a mission pipeline on this machine: every step as a local process, Google Cloud replaced by local fakes")
    .argument("<pipeline>", "data-preparation, tune-and-evaluate or batch-prediction")
    .option("--local", "run locally (the only mode: on Vertex AI, run the template pulumi up published)")
    .addOption(new Option("-p, --param <name=value>", "a pipeline input (repeatable); text is converted to the input's type").argParser(collect))
    .option("-w, --work <dir>", "run folder: runs/<run id>/ (logs, run.json), pipeline-root/, gcs/ (gs:// URIs), fake-google/", ".llmops/local")
    .option("--run-id <id>", "the run's name ({{$.pipeline_job_name}}); default: <pipeline>-local-<UTC time>")
    .option("--fake-bigquery <dir>", "BigQuery tables for the fake, as PROJECT.DATASET.TABLE.jsonl")
    .addOption(new Option("--fake-fail <api>", "make a faked Google call fail (repeatable): tuningJobs, customJobs, batchPredictionJobs, models.upload, pubsub").argParser(collect))
    .action(async (pipeline: string, opts: { local?: boolean; param?: string[]; work: string; runId?: string; fakeBigquery?: string; fakeFail?: string[] }) => {
      if (!opts.local) throw new UserError("llmops pipelines run: only --local is supported; on Vertex AI, start a run of the template pulumi up published (stack output pipelines.templates)");
      const { runMissionPipeline, RunFailure } = await import("../pipelines/runner");
      try {
        const result = await runMissionPipeline({
          pipeline,
          params: opts.param ?? [],
          workDir: path.resolve(opts.work),
          runId: opts.runId,
          fakes: { bigqueryDir: opts.fakeBigquery, fail: opts.fakeFail },
          log: (line) => console.log(line),
        });
        if (result.state !== "SUCCEEDED") process.exitCode = 1;
      } catch (err) {
        if (err instanceof RunFailure) throw new UserError(err.message);
        throw err;
      }
    });
  return pipelines;
}

/** `llmops bench`. */
function benchCommand(): Command {
  return new Command("bench")
    .description("for contributors: median time of llmops plan per stack, whole processes, against the bare Pulumi SDK's floor")
    .addOption(new Option("-s, --stack <name>", "stack to measure (repeatable): a committed one, or synthetic (generated: 50 Vertex AI models × 4 regions); default: all").argParser(collect))
    .option("-n, --runs <n>", "runs per stack", "5")
    .option("--profile", "instead: run llmops plan once per stack under V8's CPU profiler and print where each process's time goes")
    .option("--loadtest", "instead: the load generator against a local server with a known latency, at rising rates")
    .action(async (opts: { stack?: string[]; runs: string; profile?: boolean; loadtest?: boolean }) => {
      if (opts.loadtest) {
        const { benchLoadtest } = await import("./bench-loadtest");
        await benchLoadtest(findProjectDir(), [25, 50, 100, 200, 400], 10);
        return;
      }
      if (opts.profile) {
        const { profilePlan } = await import("./profile");
        for (const stack of opts.stack?.length ? opts.stack : ["prod"]) await profilePlan(findProjectDir(), stack);
        return;
      }
      const { bench } = await import("./bench");
      await bench(findProjectDir(), Math.max(1, Number(opts.runs) || 5), opts.stack);
    });
}

/** The whole command tree. */
export function createProgram(): Command {
  return new Command()
    .name("llmops")
    .description("LLMOps on Google Cloud: render, diff, promote and check the Pulumi stacks of this project, offline.")
    .addCommand(planCommand())
    .addCommand(diffCommand())
    .addCommand(promoteCommand())
    .addCommand(rolloutCommand())
    .addCommand(policyCommand())
    .addCommand(preflightCommand())
    .addCommand(costCommand())
    .addCommand(pricesCommand())
    .addCommand(pipelinesCommand())
    .addCommand(loadtestCommand())
    .addCommand(benchCommand());
}

/**
 * Commander exits the process on a usage error or `--help`; `run` turns that into its exit code.
 * Every command shows its help after a usage error.
 */
function configure(command: Command): void {
  command.exitOverride().showHelpAfterError();
  for (const sub of command.commands) configure(sub);
}

/**
 * Runs one command line (the arguments after `llmops`) in this process and returns the exit
 * code: 0, 1 for a mistake the user can fix (its message on stderr, never a stack trace), 2 for
 * a bug (the stack trace). Usage errors and help are commander's own, with its exit codes.
 */
export async function run(args: readonly string[]): Promise<number> {
  const program = createProgram();
  configure(program);
  // Commands whose verdict is their exit code (rollout analyze, loadtest) set process.exitCode;
  // read it for this command line alone, and leave the process's own as it was.
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...args], { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    // Commander has printed the usage error or the help text already.
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UserError) {
      console.error(err.message);
      return 1;
    }
    // Input that is not a plan (policies/plan-input.ts): neither a violation (1) nor a crash (2).
    if (err instanceof Error && err.name === "MalformedPlanError" && typeof (err as { exitCode?: unknown }).exitCode === "number") {
      console.error(err.message);
      return (err as Error & { exitCode: number }).exitCode;
    }
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    return 2;
  } finally {
    process.exitCode = outer;
  }
}
