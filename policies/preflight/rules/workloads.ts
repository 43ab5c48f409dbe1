import { parse } from "yaml";
import type { PlannedResource } from "../../../lib/plan";
import { asNumber, asRecord, asString, at } from "../../lib/values";
import type { PreflightRule } from "../check";

const NODE_POOL = "gcp:container/nodePool:NodePool";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_COUNT_DOC = "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool#initial_node_count";

/** How many zones a pool's nodes are created in. */
function zonesOf(pool: PlannedResource, clusters: readonly PlannedResource[]): number {
  const own = pool.inputs.nodeLocations;
  if (Array.isArray(own) && own.length) return own.length;
  const cluster = clusters.find((c) => asString(c.inputs.name) === asString(pool.inputs.cluster));
  const inherited = cluster?.inputs.nodeLocations;
  if (Array.isArray(inherited) && inherited.length) return inherited.length;
  // A regional cluster's default node locations are three of its zones (GKE's regional clusters doc).
  return /^[a-z]+-[a-z]+\d+$/.test(asString(pool.inputs.location) ?? "") ? 3 : 1;
}

/** GPUs attached, or a TPU machine type (`ct*`) or slice topology: the nodes quota is scarce for. */
function isAcceleratorPool(pool: PlannedResource): boolean {
  const gpus = at(pool.inputs, "nodeConfig.guestAccelerators");
  const machine = asString(at(pool.inputs, "nodeConfig.machineType")) ?? "";
  return (Array.isArray(gpus) && gpus.length > 0) || machine.startsWith("ct") || at(pool.inputs, "placementPolicy.tpuTopology") !== undefined;
}

/**
 * `initialNodeCount` is per zone: a regional pool of three zones starts three times as many
 * nodes as it says. Accelerator quota is usually sized to the baseline (the autoscaler's total
 * minimum), so starting above it can fail the create or take capacity the plan never declared.
 */
export const initialNodes: PreflightRule = {
  id: "initial-nodes",
  summary: "an accelerator node pool starts no more nodes than its autoscaling minimum (initialNodeCount is per zone)",
  check(ctx) {
    const clusters = ctx.graph.ofType(CLUSTER);
    for (const pool of ctx.graph.ofType(NODE_POOL).filter(isAcceleratorPool)) {
      const perZone = asNumber(pool.inputs.initialNodeCount) ?? asNumber(pool.inputs.nodeCount);
      const totalMin = asNumber(at(pool.inputs, "autoscaling.totalMinNodeCount"));
      const zoneMin = asNumber(at(pool.inputs, "autoscaling.minNodeCount"));
      if (perZone === undefined || (totalMin === undefined && zoneMin === undefined)) continue;
      const zones = zonesOf(pool, clusters);
      const starts = perZone * zones;
      const floor = totalMin ?? zoneMin! * zones;
      if (starts > floor) {
        ctx.report("error", pool, `starts ${starts} nodes (initialNodeCount ${perZone} in each of ${zones} zones) though its minimum is ${floor}: the extra nodes take accelerators a quota sized to the baseline does not have. Start at most ${Math.floor(floor / zones)} per zone; the autoscaler adds the rest when pods need them.`, NODE_COUNT_DOC);
      }
    }
  },
};

const SCHEDULE = "gcp:colab/schedule:Schedule";
const TEMPLATE = "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate";
const RUNTIME_CONFIG_DOC = "https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs#RuntimeConfig";

type ParsedTemplate = { ok: true; spec: Readonly<Record<string, unknown>> } | { ok: false; error: string };

/**
 * Parsing the templates was most of a preflight run (tens of kilobytes of YAML each, read by two
 * rules): the last few parses are kept by content, for a second rule and for the next run on a
 * plan with the same templates (`llmops diff` checks both sides; CI checks every stack).
 */
const parsedTemplates = new Map<string, ParsedTemplate>();
const KEPT_TEMPLATES = 32;

/** A compiled template's spec (shared: read it, never change it), or the parser's complaint. */
function parseTemplate(content: string): ParsedTemplate {
  const kept = parsedTemplates.get(content);
  if (kept) return kept;
  let parsed: ParsedTemplate;
  try {
    parsed = { ok: true, spec: { ...asRecord(parse(content)) } };
  } catch (err) {
    parsed = { ok: false, error: (err as Error).message.split("\n")[0] };
  }
  if (parsedTemplates.size >= KEPT_TEMPLATES) parsedTemplates.delete(parsedTemplates.keys().next().value!);
  parsedTemplates.set(content, parsed);
  return parsed;
}

/** The pipeline's typed inputs (`root.inputDefinitions.parameters`). */
function parameterTypes(spec: Record<string, unknown>): Map<string, string> {
  const params = asRecord(at(spec, "root.inputDefinitions.parameters"));
  return new Map(Object.entries(params).map(([name, p]) => [name, asString(asRecord(p).parameterType) ?? "STRING"]));
}

const TEMPLATE_DOC = "https://cloud.google.com/vertex-ai/docs/pipelines/create-pipeline-template";

/**
 * A published template is the exact bytes Vertex AI runs: one that does not parse as YAML is
 * uploaded, and every run of it fails when Vertex AI loads the spec.
 */
export const templateValid: PreflightRule = {
  id: "template-valid",
  summary: "every published pipeline template parses as YAML",
  check(ctx) {
    for (const template of ctx.graph.ofType(TEMPLATE)) {
      const content = asString(template.inputs.content);
      if (content === undefined) continue;
      const parsed = parseTemplate(content);
      if (!parsed.ok) ctx.report("error", template, `its content is not valid YAML (${parsed.error}), so every run of it fails when Vertex AI loads the spec. Fix the compiler's output.`, TEMPLATE_DOC);
    }
  },
};

/**
 * `gcp.colab.Schedule` sends `runtimeConfig.parameterValues` as a map of strings, while the
 * pipeline's inputs are typed: a NUMBER, BOOLEAN, LIST or STRUCT input given a string fails the
 * run at start. Only STRING parameters may travel there; typed ones must be baked into the
 * template the schedule runs.
 */
export const scheduleParameterTypes: PreflightRule = {
  id: "schedule-parameter-types",
  summary: "scheduled runs pass only STRING parameters through the schedule (the provider sends strings)",
  check(ctx) {
    for (const schedule of ctx.graph.ofType(SCHEDULE)) {
      const values = asRecord(at(schedule.inputs, "createPipelineJobRequest.pipelineJob.runtimeConfig.parameterValues"));
      if (Object.keys(values).length === 0) continue;
      const templates = (schedule.dependencies ?? []).map((u) => ctx.graph.get(u)!).filter((t) => t.type === TEMPLATE);
      const templateUri = asString(at(schedule.inputs, "createPipelineJobRequest.pipelineJob.templateUri")) ?? "";
      const template = templates.find((t) => templateUri.includes(`/${pipelineNameOf(t)}/`)) ?? (templates.length === 1 ? templates[0] : undefined);
      const content = template ? asString(template.inputs.content) : undefined;
      if (!content) {
        ctx.report("warning", schedule, "passes parameter values, but the template it runs is not in this plan, so their types cannot be checked.", RUNTIME_CONFIG_DOC);
        continue;
      }
      const parsed = parseTemplate(content);
      if (!parsed.ok) continue; // template-valid reports it
      const types = parameterTypes(parsed.spec);
      const typed = Object.keys(values).filter((name) => (types.get(name) ?? "STRING") !== "STRING").sort();
      if (typed.length) {
        ctx.report("error", schedule, `sends ${typed.map((n) => `${n} (${types.get(n)})`).join(", ")} as strings, which Vertex AI refuses for typed pipeline inputs when the run starts. Bake typed values into the template the schedule runs.`, RUNTIME_CONFIG_DOC);
      }
    }
  },
};

function pipelineNameOf(template: PlannedResource): string {
  const content = asString(template.inputs.content) ?? "";
  return /pipelineInfo:\n {2}name: (.+)$/m.exec(content)?.[1] ?? template.name;
}

const MODEL_VERSION = "pulumi-nodejs:dynamic/vertex:ModelVersion";
const UPLOAD_DOC = "https://cloud.google.com/vertex-ai/docs/model-registry/versioning";

/**
 * The first upload of a model id creates the model; two versions of one new model uploaded at
 * once both try, and one fails with ALREADY_EXISTS. Versions of a model in a region go in order.
 */
export const modelUploadOrder: PreflightRule = {
  id: "model-upload-order",
  summary: "versions of one Model Registry model in one region are uploaded one after another",
  check(ctx) {
    const groups = new Map<string, PlannedResource[]>();
    for (const v of ctx.graph.ofType(MODEL_VERSION)) {
      const key = [asString(v.inputs.project), asString(v.inputs.region), asString(v.inputs.modelId)].join("/");
      groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    for (const [key, versions] of groups) {
      for (let i = 0; i < versions.length; i++) {
        for (let j = i + 1; j < versions.length; j++) {
          const [a, b] = [versions[i], versions[j]];
          if (ctx.graph.waits(a.urn, b.urn) || ctx.graph.waits(b.urn, a.urn)) continue;
          ctx.report("error", b, `uploads a version of ${key} at the same time as ${a.name}: on the model's first upload both create it and one fails with ALREADY_EXISTS. Upload the versions of a model in order (each depends on the previous one).`, UPLOAD_DOC);
        }
      }
    }
    // Orders the tests can cut: each version after its predecessor.
    for (const versions of groups.values()) {
      const ordered = [...versions].sort((a, b) => ctx.graph.waitsFor(a.urn).size - ctx.graph.waitsFor(b.urn).size);
      for (let i = 1; i < ordered.length; i++) ctx.requirements.push({ rule: "model-upload-order", urn: ordered[i].urn, targets: [ordered[i - 1].urn] });
    }
  },
};
