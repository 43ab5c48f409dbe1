import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { diffCommand } from "./diff/command";
import { PREFLIGHT_SOURCES, VIOLATION_SOURCES } from "./diff/report";
import { policyCommand } from "./policy";
import { preflightCommand } from "./preflight";
import { introducedViolations } from "../policies/diff";
import { introducedFindings } from "../policies/preflight/diff";
import { UserError, findProjectDir } from "./project";
import { promoteCommand, rolloutCommand } from "./release-commands";

const program = new Command()
  .name("llmops")
  .description("LLMOps on Google Cloud: render, diff, promote and check the Pulumi stacks of this project, offline.")
  .showHelpAfterError();

const collect = (value: string, previous: string[] = []) => [...previous, value];

program
  .command("plan")
  .description("render each stack's desired state offline (the real program under Pulumi's mock runtime) to <out>/<stack>.json")
  .addOption(new Option("-s, --stack <name>", "stack to render (repeatable); default: every Pulumi.<stack>.yaml").argParser(collect))
  .option("-o, --out <dir>", "output folder", ".llmops/plan")
  .option("-q, --quiet", "print nothing but errors")
  .action(async (opts: { stack?: string[]; out: string; quiet?: boolean }) => {
    // Loaded when used: rendering pulls in the whole Pulumi SDK, seconds that other commands need not pay.
    const { plan } = require("./plan") as typeof import("./plan");
    await plan({ dir: findProjectDir(), stacks: opts.stack, out: opts.out, quiet: opts.quiet });
  });

program.addCommand(diffCommand());
program.addCommand(promoteCommand());
program.addCommand(rolloutCommand());
program.addCommand(policyCommand());
program.addCommand(preflightCommand());

// llmops diff reports the policy violations a change introduces.
VIOLATION_SOURCES.push(introducedViolations);
// ... and the apply-time preconditions it breaks.
PREFLIGHT_SOURCES.push(introducedFindings);

const pipelinesCommand = program.command("pipelines").description("Kubeflow pipelines written in TypeScript (pipelines/)");

pipelinesCommand
  .command("compile")
  .description("compile every pipeline to the KFP v2 spec: <out>/<pipeline>.yaml (with --images, exactly what a stack publishes; without, the project's images keep their local names)")
  .option("-o, --out <dir>", "output folder", ".llmops/pipelines")
  .option("--images <file>", 'JSON of the project images by digest, {"steps": "…@sha256:…", "gpuSteps": "…"}: a stack\'s `pulumi stack output pipelines --json` .images')
  .action((opts: { out: string; images?: string }) => {
    const { compileAll, parseImages } = require("../pipelines/compiler/cli") as typeof import("../pipelines/compiler/cli");
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

pipelinesCommand
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
    // Loaded when used, like the renderer.
    const { runMissionPipeline, RunFailure } = require("../pipelines/runner") as typeof import("../pipelines/runner");
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

program
  .command("bench")
  .description("for contributors: median render time per stack and per resource, against the bare Pulumi SDK's floor")
  .addOption(new Option("-s, --stack <name>", "stack to measure (repeatable)").argParser(collect))
  .option("-n, --runs <n>", "runs per stack", "5")
  .action(async (opts: { stack?: string[]; runs: string }) => {
    const { bench } = require("./bench") as typeof import("./bench");
    await bench(findProjectDir(), Math.max(1, Number(opts.runs) || 5), opts.stack);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof UserError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(2);
});
