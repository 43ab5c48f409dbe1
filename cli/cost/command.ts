import { Command, Option } from "commander";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const FORMATS = ["text", "json", "markdown"];

/** `llmops cost`; the pricing code loads when the command runs. */
export function costCommand(): Command {
  return new Command("cost")
    .description("the monthly cost of each stack's plan (730 h), baseline and worst case, from the dated price catalog, against its budget")
    .addOption(new Option("-s, --stack <name>", "stack to render and price (repeatable); default: every Pulumi.<stack>.yaml unless --plan is given").argParser(collect))
    .addOption(new Option("-p, --plan <file>", "plan file to price as it is (repeatable), as written by llmops plan").argParser(collect))
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("text"))
    .option("--catalog <file>", "price catalog to use instead of the committed policies/cost/catalog/prices.json")
    .option("--no-cache", "render every stack, even one whose files and configuration are unchanged since its last render")
    .action(async (opts: { stack?: string[]; plan?: string[]; format: string; catalog?: string; cache: boolean }) => {
      const { cost } = await import("./index");
      await cost({ stacks: opts.stack, plans: opts.plan, format: opts.format, catalog: opts.catalog, cache: opts.cache });
    });
}
