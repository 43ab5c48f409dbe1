import * as path from "node:path";
import { Command, Option } from "commander";
import { costCommand } from "./cost/command";
import { diffCommand } from "./diff/command";
import { CHECK_SOURCES, PREFLIGHT_SOURCES, VIOLATION_SOURCES } from "./diff/report";
import { policyCommand } from "./policy";
import { preflightCommand } from "./preflight";
import { introducedViolations, policyCheck } from "../policies/diff";
import { introducedFindings, preflightCheck } from "../policies/preflight/diff";
import { MalformedPlanError } from "../policies/plan-input";
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
program.addCommand(costCommand());

program.addCommand(
  new Command("prices")
    .description("the dated price catalog that llmops cost, plan, diff and the monthly-budget policy price plans with (policies/cost/catalog/prices.json)")
    .addCommand(
      new Command("refresh")
        .description("rebuild the catalog from the Cloud Billing Catalog API (services.skus.list) with your Google credentials (Application Default Credentials)")
        .option("-o, --out <file>", "where to write the catalog; default: the committed policies/cost/catalog/prices.json")
        .option("--responses <file>", 'build from recorded Catalog API replies ({ "<serviceId>": [pages] }) instead of calling Google')
        .action(async (opts: { out?: string; responses?: string }) => {
          // Loaded when used: the Google auth library and the catalog builder.
          const { refreshPrices } = require("./prices") as typeof import("./prices");
          await refreshPrices({ out: opts.out, responses: opts.responses });
        }),
    ),
);

// llmops diff reports the policy violations a change introduces.
VIOLATION_SOURCES.push(introducedViolations);
// ... and the apply-time preconditions it breaks.
PREFLIGHT_SOURCES.push(introducedFindings);
// ... and what both checked, so that a pass is reported too.
CHECK_SOURCES.push(policyCheck, preflightCheck);

program
  .command("pipelines")
  .description("Kubeflow pipelines written in TypeScript (pipelines/)")
  .command("compile")
  .description("compile every pipeline to the KFP v2 spec Vertex AI runs: <out>/<pipeline>.yaml")
  .option("-o, --out <dir>", "output folder", ".llmops/pipelines")
  .action((opts: { out: string }) => {
    const { compileAll } = require("../pipelines/compiler/cli") as typeof import("../pipelines/compiler/cli");
    for (const file of compileAll(path.resolve(findProjectDir(), opts.out))) console.log(path.relative(process.cwd(), file) || file);
  });

program
  .command("loadtest")
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
    const { loadTest } = require("./loadtest/command") as typeof import("./loadtest/command");
    const { markdown } = require("./loadtest/report") as typeof import("./loadtest/report");
    const { report, files } = await loadTest({ dir: findProjectDir(), ...opts });
    console.log(markdown(report, `${opts.model} (${opts.stack})`));
    for (const f of files) console.log(`wrote ${path.relative(process.cwd(), f) || f}`);
    process.exitCode = report.verdict === "pass" ? 0 : 1;
  });

program
  .command("bench")
  .description("for contributors: median render time per stack and per resource, against the bare Pulumi SDK's floor")
  .addOption(new Option("-s, --stack <name>", "stack to measure (repeatable)").argParser(collect))
  .option("-n, --runs <n>", "runs per stack", "5")
  .option("--loadtest", "instead: the load generator against a local server with a known latency, at rising rates")
  .action(async (opts: { stack?: string[]; runs: string; loadtest?: boolean }) => {
    if (opts.loadtest) {
      const { benchLoadtest } = require("./bench-loadtest") as typeof import("./bench-loadtest");
      await benchLoadtest(findProjectDir(), [25, 50, 100, 200, 400], 10);
      return;
    }
    const { bench } = require("./bench") as typeof import("./bench");
    await bench(findProjectDir(), Math.max(1, Number(opts.runs) || 5), opts.stack);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof MalformedPlanError) {
    // Input that is not a plan: neither a violation (1) nor a crash (2).
    console.error(err.message);
    process.exit(err.exitCode);
  }
  if (err instanceof UserError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(2);
});
