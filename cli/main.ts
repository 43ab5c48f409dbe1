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
  .command("bench")
  .description("for contributors: median render time per stack and per resource, against the bare Pulumi SDK's floor")
  .addOption(new Option("-s, --stack <name>", "stack to measure (repeatable)").argParser(collect))
  .option("-n, --runs <n>", "runs per stack", "5")
  .action(async (opts: { stack?: string[]; runs: string }) => {
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
