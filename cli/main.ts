import { Command, Option } from "commander";
import { bench } from "./bench";
import { plan } from "./plan";
import { UserError, findProjectDir } from "./project";

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
    await plan({ dir: findProjectDir(), stacks: opts.stack, out: opts.out, quiet: opts.quiet });
  });

program
  .command("bench")
  .description("for contributors: median render time per stack and per resource, against the bare Pulumi SDK's floor")
  .addOption(new Option("-s, --stack <name>", "stack to measure (repeatable)").argParser(collect))
  .option("-n, --runs <n>", "runs per stack", "5")
  .action(async (opts: { stack?: string[]; runs: string }) => {
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
