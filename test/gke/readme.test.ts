import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveClusters } from "../../infra/gke/config/resolve-cluster";
import { gkeSchema } from "../../infra/gke/config/schema";
import { ROOT } from "../helpers/project";

// Every YAML block of the README is a complete `llmops:gke` value ending with a
// `# node pools: <region>/<name>, …` line: the docs cannot drift from what the code accepts.
const README = fs.readFileSync(path.join(ROOT, "infra/gke/README.md"), "utf8");
const EXAMPLES = [...README.matchAll(/^### (.+)\n[\s\S]*?```yaml\n([\s\S]*?)```/gm)].map((m) => ({ title: m[1], yaml: m[2] }));

describe("infra/gke/README.md examples", () => {
  it("has examples", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(EXAMPLES.map((e) => [e.title, e.yaml]))("%s validates and resolves to the node pools it lists", (_title, yaml) => {
    const parsed = gkeSchema.safeParse((parse(yaml) as Record<string, unknown>)["llmops:gke"]);
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues, null, 1));
    const expected = /^# node pools: (.+)$/m.exec(yaml)?.[1].split(", ");
    const clusters = resolveClusters(parsed.data, { environment: "dev", regions: Object.keys(parsed.data.clusters) });
    expect(clusters.flatMap((c) => c.pools.flatMap((p) => p.nodePools.map((n) => `${c.region}/${n.name}`)))).toEqual(expected);
  });
});
