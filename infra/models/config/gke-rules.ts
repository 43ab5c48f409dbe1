import type { SliceCheck } from "../../common/config";
import { type GkeConfig, type ResolvedPool, networkKey } from "../../gke/config";
import type { ModelConfig } from "./schema";
import { didYouMean } from "../../../lib/suggest";
import { deployedVersions } from "./rollout";
import { machineShape, MACHINES_CHECKED } from "./machines";
import { choosePool, GKE_ACCELERATOR_NAMES, gkeAccelerator, regionPools } from "./placement";

/** What the rules of GKE-served models read: the models and `llmops:gke`. */
export interface GkeServingSlice {
  readonly models: Readonly<Record<string, ModelConfig>>;
  readonly gke?: GkeConfig;
}
type Ctx = Parameters<SliceCheck<GkeServingSlice>>[1];
type Model = ModelConfig;

/** Accelerators a pool must hold at the autoscaling minimum, and who asks for them. */
interface Demand {
  readonly pool: ResolvedPool;
  baseline: number;
  readonly models: { model: string; accelerators: number }[];
}

/**
 * Rules for models with `serving.platform: gke`, across `llmops:models` and `llmops:gke`: a
 * cluster in every serving region with a serving pool the model fits (accelerator, count per
 * replica, machine type), the metrics adapter the autoscaler reads through, the front door's
 * allowlist, one VPC for all regions of a model, settings that only
 * mean something on one platform, and pools large enough for every deployed version's minimum.
 * Paths start at the key (`models.<m>.serving…`, `gke…`).
 */
export const checkGkeServing: SliceCheck<GkeServingSlice> = (cfg, ctx) => {
  const demands = new Map<string, Demand>();
  const onGke: string[] = [];
  for (const [model, m] of Object.entries(cfg.models)) {
    if (m.serving.platform !== "gke") {
      if (m.serving.queue) ctx.addIssue({ code: "custom", path: ["models", model, "serving", "queue"], message: "queue sets the GKE autoscaler's metric; Vertex AI scales on serving.autoscaling; allowed: remove queue, or platform: gke" });
      continue;
    }
    onGke.push(model);
    checkModel(cfg, model, m, ctx, demands);
  }
  if (onGke.length && cfg.gke && !cfg.gke.metricsAdapter) {
    ctx.addIssue({
      code: "custom",
      path: ["gke", "metricsAdapter"],
      message: `${onGke.join(", ")} ${onGke.length === 1 ? "is" : "are"} served on GKE and scale on the server's queue, which the HorizontalPodAutoscaler reads through the Custom Metrics Stackdriver Adapter; allowed: metricsAdapter: { image: custom-metrics-stackdriver-adapter@sha256:<digest> } (mirrored into the images repository)`,
    });
  }
  if (onGke.length && cfg.gke && !cfg.gke.frontDoor) {
    ctx.addIssue({
      code: "custom",
      path: ["gke", "frontDoor"],
      message: `${onGke.join(", ")} ${onGke.length === 1 ? "is" : "are"} served on GKE behind a public load balancer, which denies every caller unless allowed; allowed: frontDoor: { allowedSourceRanges: [<your egress ranges>], domain: <host name for HTTPS> } (infra/models/gke/README.md)`,
    });
  }
  for (const model of onGke) sameNetworkRule(cfg, model, ctx);
  for (const d of demands.values()) {
    if (d.baseline <= d.pool.maximum) continue;
    const who = d.models.map((x) => `${x.model} ${x.accelerators}`).join(", ");
    for (const { model } of d.models) {
      ctx.addIssue({
        code: "custom",
        path: ["models", model, "serving", "minReplicas"],
        message: `pool ${d.pool.name} in ${d.pool.region} grows to ${d.pool.maximum} × ${d.pool.accelerator}, and the deployed versions' minimum replicas need ${d.baseline} (${who}); the rest would stay Pending; allowed: fewer minReplicas, or a larger llmops:gke.clusters.${d.pool.region}.pools.${d.pool.name}.autoscaling.max`,
      });
    }
  }
};

/**
 * Multi-cluster Services join the Services exported from clusters of one VPC only: every region
 * serving a model must be on the same network (the stack's, or one existing network).
 */
function sameNetworkRule(cfg: GkeServingSlice, model: string, ctx: Ctx): void {
  const clusters = cfg.gke?.clusters ?? {};
  const regions = cfg.models[model].serving.regions.filter((r) => Object.hasOwn(clusters, r));
  if (regions.length < 2) return;
  const describe = (region: string) => {
    const existing = clusters[region].network.existing;
    return existing ? `network ${existing.network}${existing.project ? ` of ${existing.project}` : ""}` : "the stack's network";
  };
  const [first, ...rest] = regions;
  for (const region of rest) {
    if (networkKey(clusters[region].network) === networkKey(clusters[first].network)) continue;
    ctx.addIssue({
      code: "custom",
      path: ["gke", "clusters", region, "network", ...(clusters[region].network.existing ? ["existing", "network"] : [])],
      message: `${model} is served in ${first} (${describe(first)}) and ${region} (${describe(region)}), and multi-cluster Services join Services of one VPC only; allowed: the same network.existing (network and project) for every region serving ${model}, or no existing network in any of them (the stack's own VPC)`,
    });
  }
}

function checkModel(cfg: GkeServingSlice, model: string, m: Model, ctx: Ctx, demands: Map<string, Demand>): void {
  const at = (...path: (string | number)[]) => ["models", model, "serving", ...path];
  const s = m.serving;
  if (s.autoscaling) {
    ctx.addIssue({ code: "custom", path: at("autoscaling"), message: "autoscaling names Vertex AI's metrics; on GKE the HorizontalPodAutoscaler keeps the server's queue at serving.queue.target per replica; allowed: remove autoscaling, and set queue if the default (vllm:num_requests_waiting at 5) does not fit" });
  }
  if (s.minReplicas < 1) {
    ctx.addIssue({ code: "custom", path: at("minReplicas"), message: "a HorizontalPodAutoscaler keeps at least one replica (scaling pods to zero needs KEDA, which this stack does not run); allowed: 1 or more; the node pool still scales to zero when no model is deployed on it" });
  }
  if (!cfg.gke) {
    ctx.addIssue({ code: "custom", path: at("platform"), message: `platform gke serves on the stack's GKE clusters, and llmops:gke configures none; allowed: vertex, or llmops:gke.clusters with a serving pool in ${s.regions.join(", ")}` });
    return;
  }
  if (!s.accelerator) {
    ctx.addIssue({ code: "custom", path: at("accelerator"), message: "platform gke serves on the clusters' accelerator pools; allowed: accelerator: { type, count } of a serving pool in each region" });
    return;
  }
  const accelerator = gkeAccelerator(s.accelerator.type);
  if (!accelerator) {
    ctx.addIssue({ code: "custom", path: at("accelerator", "type"), message: `unknown accelerator "${s.accelerator.type}"${didYouMean(s.accelerator.type, GKE_ACCELERATOR_NAMES)}; allowed: ${GKE_ACCELERATOR_NAMES.join(", ")}` });
    return;
  }
  const count = s.accelerator.count;
  const perReplica = deployedVersions(m.rollout).length * s.minReplicas * count;
  s.regions.forEach((region, i) => {
    if (!Object.hasOwn(cfg.gke!.clusters, region)) {
      const clusters = Object.keys(cfg.gke!.clusters);
      ctx.addIssue({ code: "custom", path: at("regions", i), message: `no GKE cluster in ${region} to serve ${model} on; allowed: a region with a cluster in llmops:gke.clusters (${clusters.join(", ") || "none"}), or add one for ${region}` });
      return;
    }
    const placed = choosePool(regionPools(cfg.gke!, region), { region, accelerator, count, machineType: s.machineType });
    if (!placed.ok) {
      ctx.addIssue({ code: "custom", path: at(...placed.field.split(".")), message: placed.message });
      return;
    }
    if (!machineShape(placed.pool.machineType)) {
      ctx.addIssue({ code: "custom", path: at("machineType"), message: `${placed.pool.machineType} is not in the machine catalog (infra/models/config/machines.ts, checked ${MACHINES_CHECKED}), which sizes the server's CPU and memory; allowed: a machine listed there, or add it with its source` });
    }
    const key = `${region}/${placed.pool.name}`;
    const demand = demands.get(key) ?? { pool: placed.pool, baseline: 0, models: [] };
    demand.baseline += perReplica;
    demand.models.push({ model, accelerators: perReplica });
    demands.set(key, demand);
  });
}
