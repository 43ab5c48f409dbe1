/**
 * What a plan holds, read from its resources: every GKE node pool and every model deployed on a
 * Vertex AI endpoint, with its machine, accelerators, capacity mode and bounds. The accelerator
 * counts of `llmops diff` and the cost estimate both start here, so they never disagree about
 * what exists. Works on plan resources and on CrossGuard's alike (`CostResource`).
 */

/** A resource as both a plan and the policy engines describe it. */
export interface CostResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Parent URN, when known. */
  readonly parent?: string | null;
}

export const T = {
  nodePool: "gcp:container/nodePool:NodePool",
  cluster: "gcp:container/cluster:Cluster",
  endpointDeployment: "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
  vertexModel: "llmops:models:VertexModel",
  k8sDeployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  bucket: "gcp:storage/bucket:Bucket",
  endpoint: "gcp:vertex/aiEndpoint:AiEndpoint",
  schedule: "gcp:colab/schedule:Schedule",
  armorTemplate: "gcp:modelarmor/template:Template",
  repository: "gcp:artifactregistry/repository:Repository",
} as const;

export type Platform = "vertex" | "gke";

/** How a node pool or deployment obtains its VMs, in the order a ComputeClass prefers them. */
export const CAPACITIES = ["reservation", "on-demand", "flex-start", "spot"] as const;
export type Capacity = (typeof CAPACITIES)[number];

export interface Holder {
  /** Stable across plans: `gke <node pool>` or `vertex <deployment> <deployed model>`. */
  readonly key: string;
  readonly platform: Platform;
  readonly kind: "node-pool" | "deployed-model";
  readonly urn: string;
  /** The node pool's or the EndpointDeployment's logical name. */
  readonly resource: string;
  readonly region: string;
  readonly machineType?: string;
  /** Per node or replica, as the platform names it (`nvidia-l4`, `NVIDIA_L4`, `tpu-v5e 2x4` counted in chips). */
  readonly accelerator?: { readonly type: string; readonly count: number };
  /** TPU nodes: the version and chips per node (priced per chip). */
  readonly tpu?: { readonly version: string; readonly chips: number };
  readonly capacity: Capacity;
  readonly unit: "node" | "replica";
  /** Nodes or replicas at the autoscaling minimum, as declared. */
  readonly min: number;
  /** At the maximum; undefined when the resource declares no upper bound. */
  readonly max: number | undefined;
  /** Models served on it: the deployed model's, or the model servers scheduled onto a GKE pool. */
  readonly models: readonly string[];
  /** Vertex AI: the deployed version. */
  readonly version?: string;
  /** GKE: the platform pool the node pool belongs to (`<cluster>/<llmops-pool>`). */
  readonly pool?: string;
}

const rec = (v: unknown): Record<string, any> => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, any>) : {});
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== "[unknown]" && v !== "[secret]" ? v : undefined);

/** `us-central1-a` → `us-central1`; a region stays itself. */
export function regionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

const isZone = (location: string) => regionOf(location) !== location;

/** TPU machine types: version and chips per VM (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus). */
const TPU_MACHINES: readonly [RegExp, string][] = [
  [/^ct5lp-hightpu-(\d+)t$/, "v5e"],
  [/^ct5p-hightpu-(\d+)t$/, "v5p"],
  [/^ct6e-standard-(\d+)t$/, "v6e"],
];

export function tpuOfMachine(machineType: string): { version: string; chips: number } | undefined {
  for (const [pattern, version] of TPU_MACHINES) {
    const m = pattern.exec(machineType);
    if (m) return { version, chips: Number(m[1]) };
  }
  return undefined;
}

function capacityOf(node: Record<string, any>, pool: Record<string, any>): Capacity {
  if (node.spot === true || node.preemptible === true) return "spot";
  if (node.flexStart === true || rec(pool.queuedProvisioning).enabled === true) return "flex-start";
  if (rec(node.reservationAffinity).consumeReservationType === "SPECIFIC_RESERVATION") return "reservation";
  return "on-demand";
}

/** Nodes at the minimum and maximum: totals across zones, per-zone counts times the zones, or a fixed size. */
function nodeBounds(inputs: Record<string, any>): { min: number; max: number | undefined } {
  const scaling = rec(inputs.autoscaling);
  const listed = Array.isArray(inputs.nodeLocations) ? inputs.nodeLocations.length : 0;
  const location = str(inputs.location) ?? "";
  // A regional pool without nodeLocations runs in the cluster's zones; GKE's default is three.
  const zones = listed || (isZone(location) ? 1 : 3);
  // nodeCount, like minNodeCount and maxNodeCount, is per zone.
  const fixed = num(inputs.nodeCount) === undefined ? undefined : num(inputs.nodeCount)! * zones;
  if (Object.keys(scaling).length === 0) return { min: fixed ?? 0, max: fixed };
  const min = num(scaling.totalMinNodeCount) ?? (num(scaling.minNodeCount) !== undefined ? num(scaling.minNodeCount)! * zones : 0);
  const max = num(scaling.totalMaxNodeCount) ?? (num(scaling.maxNodeCount) !== undefined ? num(scaling.maxNodeCount)! * zones : undefined);
  return { min, max };
}

function nodePools(resources: readonly CostResource[]): Holder[] {
  const out: Holder[] = [];
  for (const r of resources) {
    if (r.type !== T.nodePool) continue;
    const inputs = rec(r.inputs);
    const node = rec(inputs.nodeConfig);
    const machineType = str(node.machineType);
    const gpu = (Array.isArray(node.guestAccelerators) ? node.guestAccelerators : []).map(rec).find((g) => str(g.type));
    const tpu = machineType ? tpuOfMachine(machineType) : undefined;
    const topology = str(rec(inputs.placementPolicy).tpuTopology);
    const accelerator = gpu ? { type: String(gpu.type), count: num(gpu.count) ?? 1 } : tpu ? { type: `tpu-${tpu.version}${topology ? ` ${topology}` : ""}`, count: tpu.chips } : undefined;
    const labels = { ...rec(node.resourceLabels), ...rec(node.labels) };
    const group = str(labels["llmops-pool"]);
    const cluster = str(inputs.cluster);
    const bounds = nodeBounds(inputs);
    out.push({
      key: `gke ${r.name}`,
      platform: "gke",
      kind: "node-pool",
      urn: r.urn,
      resource: r.name,
      region: regionOf(str(inputs.location) ?? "global"),
      ...(machineType && { machineType }),
      ...(accelerator && { accelerator }),
      ...(tpu && { tpu }),
      capacity: capacityOf(node, inputs),
      unit: "node",
      min: bounds.min,
      max: bounds.max,
      models: [],
      ...(group && { pool: `${cluster ?? "?"}/${group}` }),
    });
  }
  return out;
}

/** `…::llmops:models:VertexModel::model-support-assistant` → `support-assistant`. */
function modelOfParent(parent: string | null | undefined): string | undefined {
  if (!parent || !parent.includes(`${T.vertexModel}::`)) return undefined;
  const name = parent.split("::").pop() ?? "";
  return name.startsWith("model-") ? name.slice("model-".length) : name;
}

function deployedModels(resources: readonly CostResource[]): Holder[] {
  const out: Holder[] = [];
  for (const r of resources) {
    if (r.type !== T.endpointDeployment) continue;
    const inputs = rec(r.inputs);
    const region = str(inputs.region) ?? "global";
    const model = modelOfParent(r.parent);
    for (const d of (Array.isArray(inputs.deployments) ? inputs.deployments : []).map(rec)) {
      const id = str(d.displayName) ?? str(d.deployedModelId) ?? "?";
      const version = model && id.startsWith(`${model}-`) ? id.slice(model.length + 1) : undefined;
      const min = num(d.minReplicas) ?? 1;
      const type = str(d.acceleratorType);
      out.push({
        key: `vertex ${r.name} ${id}`,
        platform: "vertex",
        kind: "deployed-model",
        urn: r.urn,
        resource: r.name,
        region,
        ...(str(d.machineType) && { machineType: str(d.machineType) }),
        ...(type && { accelerator: { type, count: num(d.acceleratorCount) ?? 1 } }),
        capacity: d.spot === true ? "spot" : "on-demand",
        unit: "replica",
        min,
        max: num(d.maxReplicas) ?? min,
        models: model ? [model] : [],
        ...(version && { version }),
      });
    }
  }
  return out;
}

/** A model server scheduled onto a GKE pool: its pool, region, model and accelerators per pod at minimum replicas. */
interface PinnedServer {
  readonly group: string;
  readonly region?: string;
  readonly model?: string;
  readonly perPod: number;
  readonly minReplicas: number;
}

function podAccelerators(template: Record<string, any>): number {
  let total = 0;
  for (const c of (Array.isArray(rec(template.spec).containers) ? rec(template.spec).containers : []).map(rec)) {
    const res = rec(c.resources);
    const want = { ...rec(res.requests), ...rec(res.limits) };
    total += Number(want["nvidia.com/gpu"] ?? want["google.com/tpu"] ?? 0) || 0;
  }
  return total;
}

/** The region a namespaced object serves, from the regions its name spells (`model-gemma-chat-us-central1-1-0-0`). */
function regionInName(name: string, regions: readonly string[]): string | undefined {
  return regions.filter((r) => name.includes(`-${r}-`) || name.endsWith(`-${r}`)).sort((a, b) => b.length - a.length)[0];
}

function pinnedServers(resources: readonly CostResource[], regions: readonly string[]): PinnedServer[] {
  const hpas = resources.filter((r) => r.type === T.hpa).map((r) => ({ r, spec: rec(rec(r.inputs).spec), ns: str(rec(rec(r.inputs).metadata).namespace) }));
  const out: PinnedServer[] = [];
  for (const r of resources) {
    if (r.type !== T.k8sDeployment) continue;
    const inputs = rec(r.inputs);
    const spec = rec(inputs.spec);
    const template = rec(spec.template);
    const selector = rec(rec(template.spec).nodeSelector);
    const group = str(selector["llmops-pool"]) ?? str(selector["cloud.google.com/compute-class"]);
    const perPod = podAccelerators(template);
    if (!group || perPod === 0) continue;
    const meta = rec(inputs.metadata);
    const region = regionInName(r.name, regions);
    const hpa = hpas.find((h) => rec(h.spec.scaleTargetRef).name === str(meta.name) && h.ns === str(meta.namespace) && regionInName(h.r.name, regions) === region);
    const minReplicas = num(hpa?.spec.minReplicas) ?? num(spec.replicas) ?? 1;
    out.push({ group, region, model: str(rec(meta.labels).model) ?? str(rec(rec(template.metadata).labels).model), perPod, minReplicas });
  }
  return out;
}

/**
 * GKE node pools at the baseline: at least their minimum, and enough nodes for the minimum
 * replicas of the model servers pinned to their platform pool, taken from the node pools in the
 * order the ComputeClass prefers them (reservation, on-demand, flex-start, spot), each up to its
 * maximum. A candidate in flight runs its own replicas beside the stable's, so it raises this
 * floor until `rollout finish`. Also names the models each pool serves.
 */
export interface PoolFloor {
  /** Nodes the pinned model servers need across the platform pool, or 0. */
  readonly needed: number;
  /** This node pool's share of the baseline (its minimum or more). */
  readonly baseline: number;
}

export function gkeFloors(pools: readonly Holder[], servers: readonly PinnedServer[]): Map<string, PoolFloor> {
  const floors = new Map<string, PoolFloor>();
  const groups = new Map<string, Holder[]>();
  for (const p of pools) {
    if (p.pool && p.accelerator) groups.set(`${p.region} ${p.pool}`, [...(groups.get(`${p.region} ${p.pool}`) ?? []), p]);
    else floors.set(p.key, { needed: 0, baseline: p.min });
  }
  for (const members of groups.values()) {
    const group = members[0].pool!.split("/").pop()!;
    const perNode = members[0].accelerator!.count;
    const mine = servers.filter((s) => s.group === group && s.region === members[0].region);
    const accelerators = mine.reduce((sum, s) => sum + s.perPod * s.minReplicas, 0);
    const needed = perNode > 0 ? Math.ceil(accelerators / perNode) : 0;
    let extra = Math.max(0, needed - members.reduce((sum, p) => sum + p.min, 0));
    const ordered = [...members].sort((a, b) => CAPACITIES.indexOf(a.capacity) - CAPACITIES.indexOf(b.capacity));
    for (const p of ordered) {
      const room = p.max === undefined ? extra : Math.max(0, p.max - p.min);
      const take = Math.min(room, extra);
      extra -= take;
      floors.set(p.key, { needed, baseline: p.min + take });
    }
  }
  return floors;
}

/** The models whose servers are pinned to each GKE node pool's platform pool, sorted. */
function poolModels(pools: readonly Holder[], servers: readonly PinnedServer[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of pools) {
    const group = p.pool?.split("/").pop();
    const models = servers.filter((s) => group && s.group === group && s.region === p.region && s.model).map((s) => s.model!);
    out.set(p.key, [...new Set(models)].sort());
  }
  return out;
}

export interface Holdings {
  readonly holders: readonly Holder[];
  /** GKE node pools' baseline with the pinned model servers' floor (key → floor). */
  readonly floors: ReadonlyMap<string, PoolFloor>;
}

/** Every node pool and deployed model of a plan, sorted by key. */
export function holdingsOf(resources: readonly CostResource[]): Holdings {
  const pools = nodePools(resources);
  const regions = [...new Set(pools.map((p) => p.region))];
  const servers = pinnedServers(resources, regions);
  const models = poolModels(pools, servers);
  const withModels = pools.map((p) => ({ ...p, models: models.get(p.key) ?? [] }));
  const holders = [...withModels, ...deployedModels(resources)].sort((a, b) => a.key.localeCompare(b.key));
  return { holders, floors: gkeFloors(withModels, servers) };
}

/** The GKE clusters of a plan, each with its region and whether it is zonal (the management fee is per cluster). */
export function clustersOf(resources: readonly CostResource[]): { urn: string; name: string; region: string; zonal: boolean }[] {
  return resources
    .filter((r) => r.type === T.cluster)
    .map((r) => {
      const location = str(rec(r.inputs).location) ?? "global";
      return { urn: r.urn, name: r.name, region: regionOf(location), zonal: isZone(location) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
