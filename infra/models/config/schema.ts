import { z } from "zod";
import { PINNED_IMAGE, type SliceCheck } from "../../common/config";
import { LABEL_VALUE, MAX_LABELS, PROJECT_LABELS_PER_RESOURCE, RESERVED_LABEL_KEYS, toLabelValue, versionLabelsSchema } from "../../common/labels";
import { K8S_LABEL_VALUE, MODEL_ARMOR_TEMPLATE_ID, MODEL_METADATA_KEY, VERTEX_DISPLAY_NAME, VERTEX_VERSION_ALIAS, charCount, displayNameSchema } from "../../common/api-limits";
import { maybeSecretString } from "../../common/secret";
import { didYouMean } from "../../../lib/suggest";
import { MODEL_ARMOR_REGIONS, SERVICE_REGIONS_CHECKED, VERTEX_ACCELERATORS, VERTEX_PREDICTION_REGIONS } from "./regions";
import { versionDigest } from "./digest";
import { templateId, versionAliasFor } from "./ids";
import { versionSlug } from "./names";
import { modelAlertsSchema, sloSchema } from "../../monitoring/config";
import { gatesSchema } from "./gates";

/**
 * 2-40 characters. Every name derived from a model name fits its API by this bound alone: the
 * Model Registry id (the name itself; `[a-z0-9_-]`, at most 63), the endpoint's display name
 * `<model> (<environment>)` (at most 50 of Vertex AI's 128), the `model` label value (63), the
 * Kubernetes namespace and the `app.kubernetes.io/name` label (63, hashed when longer:
 * names.ts). Names that also hold a version are checked per version (`versionNameProblems`).
 */
const MODEL_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
/**
 * MAJOR.MINOR.PATCH with an optional pre-release of dot- or hyphen-separated alphanumeric parts.
 * Stricter than SemVer (no empty part, no trailing hyphen), so that the version's label values
 * begin and end with a letter or digit, as Kubernetes requires.
 */
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9a-z]+(?:[.-][0-9a-z]+)*)?$/;
/**
 * An HTTP route on the serving container: an absolute URL path (RFC 3986 `path-absolute`:
 * unreserved characters, percent-encodings, sub-delimiters, `:` and `@`), no query, no fragment,
 * no whitespace. Vertex AI sends predictions and health checks to it; on GKE it is the health
 * check's request path.
 */
const ROUTE = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\/]|%[0-9A-Fa-f]{2})*$/;
const routeSchema = (fallback: string) => z.string().regex(ROUTE, "expected a URL path such as /v1/completions: '/', then letters, digits and -._~!$&'()*+,;=:@/ or %XX escapes (no spaces, line breaks, ? or #)").default(fallback);

/**
 * Environment variables that hold credentials, by name: their values must be secure values
 * (`HF_TOKEN`, `OPENAI_API_KEY`, `DB_PASSWORD`, …).
 */
const CREDENTIAL_ENV = /(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)$/;
// Either a full reference or one relative to the stack's images repository; both pinned by digest.
const ARTIFACT = /^(?:gs:\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]\/)?[A-Za-z0-9][\w.\/-]*$/;
const STAGE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
export const ROLLBACK = "rollback";

const confidence = z.enum(["LOW_AND_ABOVE", "MEDIUM_AND_ABOVE", "HIGH"]);

/** Response and prompt screening, enforced through a Model Armor template per serving region. */
export const safetySchema = z.strictObject({
  /** Responsible-AI filters: the confidence at which content of each harm category is flagged. */
  harmCategories: z.strictObject({
    hateSpeech: confidence.optional(),
    harassment: confidence.optional(),
    sexuallyExplicit: confidence.optional(),
    dangerousContent: confidence.optional(),
  }),
  /** Prompt-injection and jailbreak detection, at this confidence. @default MEDIUM_AND_ABOVE */
  promptInjection: z.union([z.literal(false), confidence]).default("MEDIUM_AND_ABOVE"),
  /** Sensitive data protection (basic inspection of PII and secrets). @default true */
  sensitiveData: z.boolean().default(true),
  /** Malicious URL detection. @default true */
  maliciousUris: z.boolean().default(true),
  /** INSPECT_ONLY flags and logs; INSPECT_AND_BLOCK also blocks. @default INSPECT_AND_BLOCK */
  enforcement: z.enum(["INSPECT_ONLY", "INSPECT_AND_BLOCK"]).default("INSPECT_AND_BLOCK"),
});

export const versionSchema = z.strictObject({
  /**
   * Model artifacts (weights) in the stack's model bucket: a path inside it (`support-assistant/1.3.0/`,
   * the same in every stack, so a promoted definition is unchanged) or `gs://<models bucket>/...`.
   */
  artifactUri: z.string().regex(ARTIFACT, "expected a path in the models bucket, or gs://<models bucket>/<path>"),
  /**
   * Serving container, pinned by digest: `IMAGE@sha256:<64 hex>` in the stack's images repository
   * (the same digest in every stack), or a full `REGISTRY/PATH@sha256:<64 hex>`.
   */
  image: z.string().regex(PINNED_IMAGE, "the serving image must be pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex digits> (a tag can move under a released version)"),
  args: z.array(z.string()).default([]),
  /** The container's environment; a value may be a `secure:` value, and must be one when the name says it is a credential. */
  env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, "expected an environment variable name"), maybeSecretString("an environment variable's value")).default({}),
  /** Port the server listens on. @default 8080 */
  port: z.number().int().min(1).max(65535).default(8080),
  healthRoute: routeSchema("/health"),
  predictRoute: routeSchema("/predict"),
  /** The prompt template used in tuning: production prompts must be formatted like the training data. */
  promptTemplate: z.string().min(1),
  /** Safety settings, turned into a Model Armor template per serving region. */
  safety: safetySchema,
  /** Where the version came from: pipeline run and evaluation result. */
  source: z
    .strictObject({
      pipelineRun: z.string().optional(),
      /** Metric → value; stored on the upload as metadata `evaluation.<metric>` (keys of [A-Za-z0-9_.-], at most 128). */
      evaluation: z
        .record(
          z.string().refine((metric) => MODEL_METADATA_KEY.test(`evaluation.${metric}`), "an evaluation metric name holds at most 117 letters, digits, '_', '.' or '-' (it becomes the metadata key evaluation.<metric>)"),
          z.union([z.number(), z.string()]),
        )
        .optional(),
    })
    .optional(),
  /** Labels of the version's Model Registry upload, beside the stack's. @default {} */
  labels: versionLabelsSchema.default({}),
  /**
   * Set when the version is released (by `llmops promote` / `llmops rollout finish`): the digest
   * of its definition. A released version is immutable; a definition that no longer matches its
   * digest is an error.
   */
  released: z.string().regex(/^sha256:[a-f0-9]{16}$/, "expected sha256:<16 hex digits>, as written by llmops promote").optional(),
});

const stageSchema = z.strictObject({
  name: z.string().regex(STAGE_NAME, "a stage name is a lowercase word such as canary"),
  /** Percent of traffic the candidate receives at this stage. */
  weight: z.number().int().min(1, "a stage weight is a percentage from 1 to 100").max(100, "a stage weight is a percentage from 1 to 100"),
});

export const DEFAULT_STAGES = [
  { name: "canary", weight: 10 },
  { name: "partial", weight: 50 },
  { name: "full", weight: 100 },
];

export const rolloutSchema = z.strictObject({
  /** The version serving all traffic when no candidate is in flight. */
  stable: z.string(),
  /** The version being rolled out. @default none */
  candidate: z.string().optional(),
  /** Ordered stages with the candidate's weight, strictly increasing, the last 100. @default canary 10, partial 50, full 100 */
  stages: z.array(stageSchema).min(1).default(DEFAULT_STAGES),
  /** The current stage of the candidate, or `rollback` (all traffic to stable, candidate kept deployed). */
  stage: z.string().optional(),
  /**
   * Written by `llmops rollout advance --force`: the stage was entered without passing evidence,
   * by whom and why. Removed by the next move of the rollout. @default none
   */
  forced: z
    .strictObject({
      stage: z.string(),
      by: z.string().min(1, "forced.by names who forced the stage"),
      reason: z.string().min(1, "forced.reason says why the gates were overridden"),
    })
    .optional(),
  /** Overrides of `llmops:rollouts.gates` for this model. @default the stack's gates */
  gates: gatesSchema.optional(),
});

export const servingSchema = z.strictObject({
  /** Where the model is served. @default vertex */
  platform: z.enum(["vertex", "gke"]).default("vertex"),
  /** Serving regions, a subset of `llmops:regions`. */
  regions: z.array(z.string()).min(1),
  /** e.g. g2-standard-12. */
  machineType: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]+$/, "expected a Compute Engine machine type such as g2-standard-12"),
  accelerator: z
    .strictObject({
      /** Vertex AI enum name, e.g. NVIDIA_L4. */
      type: z.string(),
      count: z.number().int().min(1).default(1),
    })
    .optional(),
  minReplicas: z.number().int().min(0).default(1),
  maxReplicas: z.number().int().min(1).default(1),
  /** Vertex AI scales on accelerator duty cycle or CPU utilisation. @default accelerator duty cycle at 60% when an accelerator is set */
  autoscaling: z
    .strictObject({
      metric: z.enum(["accelerator-duty-cycle", "cpu-utilization"]),
      target: z.number().int().min(1).max(100),
    })
    .optional(),
  /**
   * GKE only: the model server's Prometheus gauge of requests waiting to be scheduled, which the
   * HorizontalPodAutoscaler keeps at `target` per replica (infra/models/gke/README.md).
   * @default vllm:num_requests_waiting at 5
   */
  queue: z
    .strictObject({
      metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "expected a Prometheus metric name such as vllm:num_requests_waiting"),
      target: z.number().int().min(1).max(1000),
    })
    .optional(),
  /**
   * Vertex AI only: capacity before traffic. Before a version's share of the traffic rises, its
   * minimum replicas are raised, for the move and within `maxReplicas`, to that share of the
   * replicas serving now plus this many percent, and the traffic waits until they are available
   * (infra/models/providers/README.md). @default 0 (exactly its share)
   */
  trafficHeadroom: z.number().int().min(0, "a headroom is a percentage from 0 to 100").max(100, "a headroom is a percentage from 0 to 100").optional(),
  /** `public`: the Vertex endpoint, reachable only with IAM. `private-service-connect`: PSC only. @default public */
  access: z.enum(["public", "private-service-connect"]).default("public"),
  /** Projects allowed to connect through Private Service Connect. @default the stack's project */
  pscProjects: z.array(z.string()).optional(),
});

export const modelSchema = z.strictObject({
  /** The Model Registry entry's display name. @default the model's name */
  displayName: displayNameSchema(VERTEX_DISPLAY_NAME).optional(),
  description: z.string().optional(),
  versions: z.record(z.string(), versionSchema),
  serving: servingSchema,
  rollout: rolloutSchema,
  /**
   * The model's objective, `{ availability, latencyP99Ms }`: the latency budget sets the latency
   * alert, the latency SLO and the dashboard's line (infra/monitoring/README.md). Required in
   * prod. @default 99% available, p99 within 10000 ms (outside prod)
   */
  slo: sloSchema.optional(),
  /** Overrides of `llmops:monitoring.defaults` for this model. @default the stack's defaults */
  alerts: modelAlertsSchema.optional(),
});

export const modelsSchema = z.record(z.string(), modelSchema).default({});

export type ModelConfig = z.output<typeof modelSchema>;
export type VersionConfig = z.output<typeof versionSchema>;
export type RolloutConfig = z.output<typeof rolloutSchema>;
export type SafetyConfig = z.output<typeof safetySchema>;

type Ctx = z.RefinementCtx;

function checkRollout(model: string, m: ModelConfig, ctx: Ctx): void {
  const at = (...path: (string | number)[]) => ["models", model, "rollout", ...path];
  const versions = Object.keys(m.versions);
  const allowedVersions = versions.length ? versions.join(", ") : "a version defined under versions (none is)";
  const { stable, candidate, stages, stage } = m.rollout;
  if (!m.versions[stable]) ctx.addIssue({ code: "custom", path: at("stable"), message: `unknown version "${stable}"${didYouMean(stable, versions)}; allowed: ${allowedVersions}` });
  if (candidate !== undefined) {
    if (!m.versions[candidate]) ctx.addIssue({ code: "custom", path: at("candidate"), message: `unknown version "${candidate}"${didYouMean(candidate, versions)}; allowed: ${allowedVersions}` });
    if (candidate === stable) ctx.addIssue({ code: "custom", path: at("candidate"), message: `the candidate is the stable version "${stable}"; allowed: another version, or no candidate` });
  }
  stages.forEach((s, i) => {
    if (i > 0 && s.weight <= stages[i - 1].weight) {
      ctx.addIssue({ code: "custom", path: at("stages", i, "weight"), message: `weight ${s.weight} does not exceed the previous stage's ${stages[i - 1].weight}; allowed: strictly increasing weights` });
    }
    if (s.name === ROLLBACK) ctx.addIssue({ code: "custom", path: at("stages", i, "name"), message: `"${ROLLBACK}" is reserved; allowed: any other stage name` });
    if (stages.findIndex((o) => o.name === s.name) !== i) ctx.addIssue({ code: "custom", path: at("stages", i, "name"), message: `stage "${s.name}" is listed twice; allowed: each name once` });
  });
  if (stages.length && stages[stages.length - 1].weight !== 100) {
    ctx.addIssue({ code: "custom", path: at("stages", stages.length - 1, "weight"), message: `the last stage sends ${stages[stages.length - 1].weight}% to the candidate; allowed: 100 (a rollout ends fully rolled out)` });
  }
  const names = [...stages.map((s) => s.name), ROLLBACK];
  if (m.rollout.forced && m.rollout.forced.stage !== stage) {
    ctx.addIssue({ code: "custom", path: at("forced", "stage"), message: `forced records stage "${m.rollout.forced.stage}" but the rollout is at ${stage ?? "no stage"}; allowed: the current stage (llmops rollout advance writes it), or remove rollout.forced` });
  }
  if (candidate === undefined && stage !== undefined) {
    ctx.addIssue({ code: "custom", path: at("stage"), message: `stage "${stage}" without a candidate; allowed: set rollout.candidate, or remove rollout.stage` });
  } else if (candidate !== undefined && stage === undefined) {
    ctx.addIssue({ code: "custom", path: at("stage"), message: `a candidate needs a stage; allowed: ${names.join(", ")}` });
  } else if (stage !== undefined && !names.includes(stage)) {
    ctx.addIssue({ code: "custom", path: at("stage"), message: `unknown stage "${stage}"${didYouMean(stage, names)}; allowed: ${names.join(", ")}` });
  }
}

function checkServing(model: string, m: ModelConfig, stackRegions: readonly string[], ctx: Ctx): void {
  const at = (...path: (string | number)[]) => ["models", model, "serving", ...path];
  const s = m.serving;
  s.regions.forEach((region, i) => {
    if (!stackRegions.includes(region)) {
      ctx.addIssue({ code: "custom", path: at("regions", i), message: `"${region}" is not a serving region of this stack${didYouMean(region, stackRegions)}; allowed: ${stackRegions.join(", ")} (llmops:regions)` });
    } else if (s.platform === "vertex" && !VERTEX_PREDICTION_REGIONS.includes(region)) {
      ctx.addIssue({ code: "custom", path: at("regions", i), message: `Vertex AI online prediction is not offered in "${region}" (checked ${SERVICE_REGIONS_CHECKED}); allowed: a region in infra/models/config/regions.ts` });
    }
    if (s.regions.indexOf(region) !== i) ctx.addIssue({ code: "custom", path: at("regions", i), message: `region "${region}" is listed twice; allowed: each region once` });
    if (!MODEL_ARMOR_REGIONS.includes(region)) {
      ctx.addIssue({ code: "custom", path: at("regions", i), message: `Model Armor, which screens this model's prompts and responses, is not offered in "${region}" (checked ${SERVICE_REGIONS_CHECKED}); allowed: ${MODEL_ARMOR_REGIONS.join(", ")}` });
    }
  });
  if (s.minReplicas > s.maxReplicas) {
    ctx.addIssue({ code: "custom", path: at("minReplicas"), message: `minReplicas ${s.minReplicas} exceeds maxReplicas ${s.maxReplicas}; allowed: minReplicas ≤ maxReplicas` });
  }
  if (s.platform === "vertex" && s.minReplicas < 1) {
    ctx.addIssue({ code: "custom", path: at("minReplicas"), message: "Vertex AI dedicated endpoints keep at least one replica; allowed: 1 or more" });
  }
  if (s.trafficHeadroom !== undefined && s.platform !== "vertex") {
    ctx.addIssue({ code: "custom", path: at("trafficHeadroom"), message: "trafficHeadroom sizes Vertex AI deployed models before their traffic rises; allowed: leave it out for platform gke (each version's HorizontalPodAutoscaler follows serving.queue)" });
  }
  if (s.access === "private-service-connect" && s.platform !== "vertex") {
    ctx.addIssue({ code: "custom", path: at("access"), message: "Private Service Connect applies to Vertex AI endpoints; allowed: public for platform gke (the Gateway is the front door)" });
  }
  if (s.accelerator && s.platform === "vertex") {
    const known = VERTEX_ACCELERATORS[s.accelerator.type];
    const family = s.machineType.split("-")[0];
    if (!known) {
      ctx.addIssue({ code: "custom", path: at("accelerator", "type"), message: `unknown accelerator "${s.accelerator.type}"${didYouMean(s.accelerator.type, Object.keys(VERTEX_ACCELERATORS))}; allowed: ${Object.keys(VERTEX_ACCELERATORS).join(", ")}` });
    } else {
      if (!known.families.includes(family)) ctx.addIssue({ code: "custom", path: at("machineType"), message: `${s.accelerator.type} runs on ${known.families.join("/")} machines, not "${s.machineType}"; allowed: a ${known.families.join(" or ")} machine type` });
      if (!known.counts.includes(s.accelerator.count)) ctx.addIssue({ code: "custom", path: at("accelerator", "count"), message: `${s.accelerator.count} × ${s.accelerator.type} is not a Vertex AI shape; allowed: ${known.counts.join(", ")}` });
    }
  }
  if (s.autoscaling?.metric === "accelerator-duty-cycle" && !s.accelerator) {
    ctx.addIssue({ code: "custom", path: at("autoscaling", "metric"), message: "accelerator duty cycle needs an accelerator; allowed: cpu-utilization, or set serving.accelerator" });
  }
}

/**
 * The names a version id becomes, each against its API's limit: the Model Armor template id, the
 * Model Registry version alias, the `model-version` label (Google Cloud, and on GKE Kubernetes)
 * and the deployed model's display name. Each problem says which name and which limit.
 */
export function versionNameProblems(model: string, version: string): string[] {
  const problems: string[] = [];
  const template = templateId(model, version);
  if (!MODEL_ARMOR_TEMPLATE_ID.test(template)) problems.push(`it makes the Model Armor template id "${template}" (${template.length} characters); allowed: at most 63 letters, digits or '-' (Model Armor template ids)`);
  const alias = versionAliasFor(version);
  if (!VERTEX_VERSION_ALIAS.test(alias)) problems.push(`it makes the Model Registry version alias "${alias}" (${alias.length} characters); allowed: at most 128 (Vertex AI version aliases)`);
  const label = version.replace(/\./g, "-");
  if (!LABEL_VALUE.test(label) || !K8S_LABEL_VALUE.test(toLabelValue(version))) problems.push(`it makes the label value "${label}" (${label.length} characters); allowed: at most 63 (Google Cloud and Kubernetes label values)`);
  const deployed = `${model}-${version}`;
  if (charCount(deployed) > VERTEX_DISPLAY_NAME.max) problems.push(`it makes the deployed model's display name "${deployed.slice(0, 40)}…" (${charCount(deployed)} characters); allowed: at most ${VERTEX_DISPLAY_NAME.max} (${VERTEX_DISPLAY_NAME.what})`);
  return problems;
}

function checkVersions(model: string, m: ModelConfig, ctx: Ctx): void {
  // Names derived from two different ids must differ too: "1.0.0-a.b" and "1.0.0-a-b" would share an alias.
  const derived = new Map<string, string>();
  for (const [version, v] of Object.entries(m.versions)) {
    const at = (...path: (string | number)[]) => ["models", model, "versions", version, ...path];
    if (!VERSION.test(version)) {
      ctx.addIssue({ code: "custom", path: at(), message: `version id "${version}" is not semantic; allowed: MAJOR.MINOR.PATCH such as 1.3.0, with an optional pre-release of letters and digits such as 1.3.0-rc.1` });
    } else {
      for (const problem of versionNameProblems(model, version)) ctx.addIssue({ code: "custom", path: at(), message: `version id "${version}" is too long: ${problem}` });
      for (const [what, name] of [["Model Registry alias", versionAliasFor(version)], ["Model Armor template id", templateId(model, version)], ["Kubernetes name", versionSlug(version)]] as const) {
        const other = derived.get(`${what}/${name}`);
        if (other !== undefined) ctx.addIssue({ code: "custom", path: at(), message: `versions "${other}" and "${version}" both make the ${what} "${name}"; allowed: version ids that differ in more than '.' against '-'` });
        else derived.set(`${what}/${name}`, version);
      }
    }
    for (const [name, value] of Object.entries(v.env)) {
      if (CREDENTIAL_ENV.test(name) && typeof value === "string") {
        ctx.addIssue({ code: "custom", path: at("env", name), message: `${name} names a credential, and it is not a secure value: in plain text it would be committed in clear`, params: { credential: `value of ${name}` } });
      }
    }
    if (v.released !== undefined) {
      const digest = versionDigest(v);
      if (digest !== v.released) {
        ctx.addIssue({
          code: "custom",
          path: at("released"),
          message: `version ${version} was released as ${v.released} but its definition now hashes to ${digest}; released versions are immutable: allowed: restore the released definition, or add a new version`,
        });
      }
    }
  }
}

/** What the model rules read: their key, the stack's regions, environment and labels. */
export interface ModelsSlice {
  readonly environment: string;
  readonly regions: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly models: Readonly<Record<string, ModelConfig>>;
}

/** A version's upload carries the stack's labels, its own, the reserved ones and `model`, `model-version`. */
function checkLabelCount(model: string, version: string, stack: Readonly<Record<string, string>>, own: Readonly<Record<string, string>>, ctx: Ctx): void {
  const total = new Set([...Object.keys(stack), ...Object.keys(own)]).size + RESERVED_LABEL_KEYS.length + PROJECT_LABELS_PER_RESOURCE;
  if (Object.keys(own).length > 0 && total > MAX_LABELS) {
    ctx.addIssue({
      code: "custom",
      path: ["models", model, "versions", version, "labels"],
      message: `with llmops:labels and the project's own, the upload would carry ${total} labels; allowed: at most ${MAX_LABELS} (Google Cloud labels): drop ${total - MAX_LABELS}`,
    });
  }
}

/** Rules across `llmops:models` and the other keys. */
export const checkModels: SliceCheck<ModelsSlice> = (cfg, ctx) => {
  for (const [model, m] of Object.entries(cfg.models)) {
    if (!MODEL_NAME.test(model)) ctx.addIssue({ code: "custom", path: ["models", model], message: `model name "${model}" is invalid; allowed: 2-40 lowercase letters, digits or '-', starting with a letter` });
    checkVersions(model, m, ctx);
    for (const [version, v] of Object.entries(m.versions)) checkLabelCount(model, version, cfg.labels, v.labels, ctx);
    checkRollout(model, m, ctx);
    checkServing(model, m, cfg.regions, ctx);
    if (cfg.environment === "prod") {
      for (const role of ["stable", "candidate"] as const) {
        const version = m.rollout[role];
        if (version && m.versions[version] && !m.versions[version].released) {
          ctx.addIssue({ code: "custom", path: ["models", model, "versions", version, "released"], message: `prod serves only released versions, and ${version} (${role}) has no release digest; allowed: promote it from dev with llmops promote` });
        }
      }
    }
  }
};
