import { Command, Option } from "commander";
import { findProjectDir } from "../project";
import { FORMATS, diff } from "./index";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `llmops diff [BASE] [HEAD]`. */
export function diffCommand(): Command {
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
    .action(async (base: string, head: string | undefined, opts: { stack?: string[]; format: string; output?: string; json?: string; catalog?: string; runUrl?: string }) => {
      await diff({ dir: findProjectDir(), base, head, stacks: opts.stack, format: opts.format, output: opts.output, json: opts.json, catalog: opts.catalog, runUrl: opts.runUrl });
    });
}
