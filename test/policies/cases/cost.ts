import { T } from "../../../policies/lib/resources";
import { bucket, deployment, k8sDeployment, DIGEST, endpoint, labels, modelVersion, nodePool, resource } from "../fixtures";
import type { PolicyCases } from "../harness";

const tpuPool = (over = {}) =>
  nodePool(
    { autoscaling: { locationPolicy: "ANY", totalMaxNodeCount: 2, totalMinNodeCount: 0 }, location: "europe-west4", nodeLocations: ["europe-west4-b"], placementPolicy: { tpuTopology: "2x4", type: "COMPACT" }, ...over },
    { pool: "tpu-batch", capacity: "spot", workload: "batch", node: { guestAccelerators: undefined, machineType: "ct5lp-hightpu-4t" } },
  );

/** A gemma-chat model server pinned to the l4-serving pool of us-central1, as GkeModel renders it. */
const gemmaServer = k8sDeployment(
  `vllm-openai@${DIGEST}`,
  {
    metadata: { name: "gemma-chat-v1-0-0", namespace: "gemma-chat", labels: labels("prod", { model: "gemma-chat", "model-version": "1-0-0" }) },
    spec: { replicas: 2, template: { metadata: { labels: { model: "gemma-chat" } }, spec: { nodeSelector: { "llmops-pool": "l4-serving" }, containers: [{ image: `vllm-openai@${DIGEST}`, name: "vllm", resources: { limits: { "nvidia.com/gpu": "1" } } }] } } },
  },
  { name: "model-gemma-chat-us-central1-1-0-0" },
);
const budget = (b: Record<string, unknown>) => ({ budget: b });
const rootStack = (b: Record<string, unknown>) => resource(T.stack, "llmops-prod", { budget: b });

export const cost: Readonly<Record<string, PolicyCases>> = {
  // The default pool: 2 to 8 on-demand g2-standard-12 in us-central1, $1,460.61 to $5,842.43 a month (committed catalog).
  "monthly-budget": {
    pass: [
      { name: "within the stack's limits", resources: [nodePool()], outputs: budget({ baselineMonthlyUsd: 1500, worstCaseMonthlyUsd: 6000 }) },
      { name: "dev needs no budget", stack: "dev", resources: [nodePool({}, { stack: "dev" })] },
      { name: "the priced part within; Vertex AI has no price in the committed catalog", resources: [nodePool(), deployment()], outputs: budget({ worstCaseMonthlyUsd: 6000 }) },
      { name: "under CrossGuard, the budget on the root stack resource", resources: [nodePool(), rootStack({ worstCaseMonthlyUsd: 6000 })] },
      { name: "a model within its own limit", resources: [nodePool(), gemmaServer], outputs: budget({ models: { "gemma-chat": { worstCaseMonthlyUsd: 6000 } } }) },
    ],
    fail: [
      { name: "prod without a budget", resources: [nodePool()], expect: /prod declares no monthly budget; allowed: llmops:budget with baselineMonthlyUsd, worstCaseMonthlyUsd or both \(required in prod\)/ },
      {
        name: "the baseline over its limit",
        resources: [nodePool()],
        outputs: budget({ baselineMonthlyUsd: 1000 }),
        expect: /^baseline of the stack: \$1,460\.61\/month against a budget of \$1,000\.00, over by \$460\.61 \(prices as of 2026-07-30; most: gke-us-central1-l4-serving-on-demand \$1,460\.61\); allowed: at most \$1,000\.00$/,
      },
      { name: "the worst case over, read from the root stack resource", resources: [nodePool(), rootStack({ worstCaseMonthlyUsd: 5000 })], expect: /worst case of the stack: \$5,842\.43\/month against a budget of \$5,000\.00, over by \$842\.43/ },
      { name: "a lower bound already over: the priced part alone exceeds it", resources: [nodePool(), deployment()], outputs: budget({ worstCaseMonthlyUsd: 5000 }), expect: /worst case of the stack: ≥ \$5,842\.43\/month against a budget of \$5,000\.00/ },
      { name: "a model over its own limit", resources: [nodePool(), gemmaServer], outputs: budget({ worstCaseMonthlyUsd: 1e6, models: { "gemma-chat": { worstCaseMonthlyUsd: 1000 } } }), expect: /worst case of model gemma-chat: \$5,842\.43\/month against a budget of \$1,000\.00/ },
    ],
  },
  "accelerator-pool-autoscaling": {
    pass: [
      { name: "bounded L4 serving pool", resources: [nodePool()] },
      { name: "a TPU pool counted in chips", resources: [tpuPool()] },
      { name: "a CPU system pool needs no accelerator cap", resources: [nodePool({ autoscaling: undefined }, { node: { guestAccelerators: undefined, machineType: "e2-standard-4" } })] },
    ],
    fail: [
      { name: "no upper bound", resources: [nodePool({ autoscaling: { locationPolicy: "ANY", totalMinNodeCount: 2 } })], expect: /no autoscaling upper bound/ },
      { name: "no autoscaling at all", resources: [nodePool({ autoscaling: undefined, nodeCount: 4 })], expect: /does not autoscale/ },
      { name: "maximum below minimum", resources: [nodePool({ autoscaling: { totalMaxNodeCount: 1, totalMinNodeCount: 3 } })], expect: /maximum 1 is below its minimum 3/ },
      { name: "per-zone maximum over the cap", resources: [nodePool({ autoscaling: { maxNodeCount: 12, minNodeCount: 0 } })], expect: /can reach 36 × nvidia-l4 in us-central1; allowed: at most 32/ },
      { name: "an accelerator without a cap", resources: [nodePool({}, { node: { guestAccelerators: [{ count: 8, type: "nvidia-b200" }], machineType: "a4-highgpu-8g" } })], expect: /nvidia-b200 in us-central1 has no cap/ },
    ],
  },
  "accelerator-budget": {
    pass: [{ name: "GKE and Vertex AI within 32 L4 per region", resources: [nodePool(), deployment()] }],
    fail: [
      {
        name: "a rollout in flight doubles the replicas past the cap",
        resources: [nodePool({ autoscaling: { totalMaxNodeCount: 24, totalMinNodeCount: 2 } }), deployment("us-central1", [{ id: "1", percent: 90 }, { id: "2", version: "1.3.0", percent: 10 }])],
        expect: /nvidia-l4 in us-central1 can reach 36 .*allowed: at most 32/,
      },
      { name: "dev's smaller budget", stack: "dev", resources: [deployment("us-central1", [{ id: "1", percent: 100, maxReplicas: 9 }], {}, { stack: "dev" })], expect: /can reach 9 .*at most 8/ },
      { name: "a pool without a maximum is unbounded", resources: [nodePool({ autoscaling: { totalMinNodeCount: 1 } })], expect: /has no upper bound/ },
    ],
  },
  "batch-capacity-interruptible": {
    pass: [
      { name: "a spot TPU batch pool", resources: [tpuPool()] },
      { name: "an on-demand serving pool", resources: [nodePool()] },
    ],
    fail: [{ name: "an on-demand batch pool", resources: [nodePool({}, { workload: "batch", pool: "tune" })], expect: /batch pool of nvidia-l4 runs on-demand/ }],
  },
  "prod-serving-not-spot-only": {
    pass: [
      { name: "reservation, on-demand, then spot", resources: [nodePool({}, { capacity: "reservation", node: { reservationAffinity: { consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["llmops-l4-us-central1"] } } }), nodePool({}, { capacity: "on-demand" }), nodePool({}, { capacity: "spot" })] },
      { name: "spot-only batch is fine", resources: [tpuPool()] },
    ],
    fail: [
      { name: "a spot-only serving pool", resources: [nodePool({}, { capacity: "spot" })], expect: /serving pool llmops-prod-us-central1\/l4-serving runs only on spot capacity/ },
      { name: "flex-start only", resources: [nodePool({}, { capacity: "flex-start", node: { flexStart: true } })], expect: /only on flex-start/ },
    ],
  },
  "required-labels": {
    pass: [
      { name: "platform labels everywhere, model labels on serving", resources: [bucket(), endpoint(), modelVersion(), nodePool()] },
      { name: "a model server Deployment with its version", resources: [k8sDeployment(`vllm@${DIGEST}`)] },
      { name: "IAM members carry no labels", resources: [resource("gcp:projects/iAMMember:IAMMember", "m", { member: "user:a@acme.example", role: "roles/viewer" })] },
    ],
    fail: [
      { name: "no cost-center", resources: [bucket({ labels: { environment: "prod", team: "ml-platform", "bucket-role": "models" } })], expect: /missing label cost-center/ },
      { name: "an endpoint without its model", resources: [endpoint("us-central1", { labels: labels("prod") })], expect: /missing label model;/ },
      { name: "an upload without its version", resources: [modelVersion("us-central1", { labels: labels("prod", { model: "support-assistant" }) })], expect: /missing label model-version/ },
      { name: "a labelable resource without labels", resources: [resource(T.bucket, "loose", { name: "loose", location: "US" })], expect: /missing labels environment, team, cost-center/ },
    ],
  },
  "allowed-regions": {
    pass: [{ name: "US multi-region, us-central1 and its zones", resources: [bucket(), nodePool(), endpoint("europe-west4")] }],
    fail: [
      { name: "a bucket in Asia", resources: [bucket({ location: "ASIA" })], expect: /is placed in ASIA/ },
      { name: "a node pool in a disallowed zone", resources: [nodePool({ location: "asia-southeast1", nodeLocations: ["asia-southeast1-a"] })], expect: /asia-southeast1/ },
      { name: "a region the config removed", resources: [endpoint("europe-west4")], settings: { regions: ["us-central1"] }, expect: /europe-west4; allowed: us-central1, US, EU/ },
    ],
  },
};


