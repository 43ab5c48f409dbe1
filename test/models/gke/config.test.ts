import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../../infra/settings";
import { committedConfig } from "../../helpers/project";

const MODEL = "gemma-chat";
const AT = `llmops:models.${MODEL}.serving`;

/** A committed stack's config with `edit` applied to its parsed `llmops:` keys (a key set to undefined is dropped). */
function stackWith(stack: string, edit: (c: Record<string, any>) => void): Record<string, string> {
  const flat = committedConfig(stack);
  const keys = Object.keys(flat).filter((k) => k.startsWith("llmops:"));
  const parsed: Record<string, any> = Object.fromEntries(keys.map((k) => [k, /^\s*[[{]/.test(flat[k]) ? JSON.parse(flat[k]) : flat[k]]));
  edit(parsed);
  const out: Record<string, string> = Object.fromEntries(Object.entries(flat).filter(([k]) => !k.startsWith("llmops:")));
  for (const [k, v] of Object.entries(parsed)) if (v !== undefined) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
const dev = (edit: (c: Record<string, any>) => void) => stackWith("dev", edit);
const gemma = (c: Record<string, any>) => c["llmops:models"][MODEL];
const serving = (c: Record<string, any>) => gemma(c).serving;

function problems(flat: Record<string, string>, stack = "dev"): string[] {
  const result = parseStackConfig(flat, stack);
  return result.ok ? [] : result.problems.map((p) => `${p.file}: ${p.key}: ${p.message}`);
}

// Each case: what is wrong, the config, the file and key the message must name, words it must contain.
const BAD: [string, Record<string, string>, string, RegExp][] = [
  [
    "a region without a cluster",
    dev((c) => {
      c["llmops:regions"] = ["us-central1", "europe-west4"];
      serving(c).regions = ["us-central1", "europe-west4"];
    }),
    `${AT}.regions[1]`,
    /no GKE cluster in europe-west4 to serve gemma-chat on; allowed: a region with a cluster in llmops:gke.clusters \(us-central1\), or add one for europe-west4/,
  ],
  ["an accelerator no pool has", dev((c) => (serving(c).accelerator = { type: "nvidia-h100-80gb", count: 1 })), `${AT}.accelerator.type`, /no serving pool in us-central1 has nvidia-h100-80gb; allowed: an accelerator of a serving pool there: l4 \(1 × nvidia-l4 on g2-standard-8\)/],
  ["more accelerators per replica than a node holds", dev((c) => (serving(c).accelerator = { type: "nvidia-l4", count: 2 })), `${AT}.accelerator.count`, /2 × nvidia-l4 per replica fits no pool in us-central1 \(a replica runs on one node\): l4 \(1 × nvidia-l4 on g2-standard-8\); allowed: at most 1/],
  ["a machine type no fitting pool runs", dev((c) => (serving(c).machineType = "g2-standard-12")), `${AT}.machineType`, /no pool in us-central1 with 1 × nvidia-l4 runs g2-standard-12; allowed: g2-standard-8 \(pool l4\)/],
  ["an unknown accelerator", dev((c) => (serving(c).accelerator.type = "nvidia-l5")), `${AT}.accelerator.type`, /unknown accelerator "nvidia-l5" \(did you mean "nvidia-l4"\?\); allowed: nvidia-tesla-t4, nvidia-l4/],
  ["no accelerator", dev((c) => delete serving(c).accelerator), `${AT}.accelerator`, /platform gke serves on the clusters' accelerator pools/],
  ["zero minimum replicas", dev((c) => (serving(c).minReplicas = 0)), `${AT}.minReplicas`, /a HorizontalPodAutoscaler keeps at least one replica \(scaling pods to zero needs KEDA/],
  ["Vertex AI's autoscaling block", dev((c) => (serving(c).autoscaling = { metric: "accelerator-duty-cycle", target: 60 })), `${AT}.autoscaling`, /autoscaling names Vertex AI's metrics; on GKE the HorizontalPodAutoscaler keeps the server's queue/],
  ["a queue on a Vertex-served model", dev((c) => (c["llmops:models"]["support-assistant"].serving.queue = { metric: "vllm:num_requests_waiting", target: 5 })), "llmops:models.support-assistant.serving.queue", /queue sets the GKE autoscaler's metric/],
  ["minimum replicas the pool cannot hold", dev((c) => Object.assign(serving(c), { minReplicas: 2, maxReplicas: 2 })), `${AT}.minReplicas`, /pool l4 in us-central1 grows to 2 × nvidia-l4, and the deployed versions' minimum replicas need 4 \(gemma-chat 4\)/],
  ["no metrics adapter", dev((c) => delete c["llmops:gke"].metricsAdapter), "llmops:gke.metricsAdapter", /gemma-chat is served on GKE and scale on the server's queue.*allowed: metricsAdapter: \{ image:/],
  ["no front door allowlist", dev((c) => delete c["llmops:gke"].frontDoor), "llmops:gke.frontDoor", /gemma-chat is served on GKE behind a public load balancer.*allowed: frontDoor: \{ allowedSourceRanges:/],
  ["an adapter image by tag", dev((c) => (c["llmops:gke"].metricsAdapter.image = "gcr.io/gke-release/custom-metrics-stackdriver-adapter:v0.16.0")), "llmops:gke.metricsAdapter.image", /must be pinned by digest/],
  [
    "no GKE at all",
    dev((c) => {
      c["llmops:gke"] = undefined;
    }),
    `${AT}.platform`,
    /platform gke serves on the stack's GKE clusters, and llmops:gke configures none; allowed: vertex, or llmops:gke.clusters with a serving pool in us-central1/,
  ],
  [
    "a TPU replica smaller than its host",
    dev((c) => {
      c["llmops:gke"].clusters["us-central1"].pools.tpu = { tpu: { version: "v5e", topology: "2x2" }, autoscaling: { min: 0, max: 1 }, capacity: ["spot"] };
      c["llmops:gke"].maxAccelerators = 8;
      Object.assign(serving(c), { accelerator: { type: "tpu-v5-lite-podslice", count: 1 }, machineType: "ct5lp-hightpu-4t" });
    }),
    `${AT}.accelerator.count`,
    /1 × tpu-v5-lite-podslice per replica fits no pool in us-central1 \(a TPU server takes every chip of one host.*\); allowed: count 4/,
  ],
];

const prod = (edit: (c: Record<string, any>) => void) => stackWith("prod", edit);
const SHARED = { project: "acme-net-host", network: "shared", podsRange: "pods", servicesRange: "services" };

// Multi-cluster Services join Services of one VPC: prod's two-region model needs both clusters on one network.
const NETWORKS: [string, Record<string, string>, string, RegExp][] = [
  [
    "one region on an existing network, the other on the stack's",
    prod((c) => (c["llmops:gke"].clusters["europe-west4"].network = { existing: { ...SHARED, subnetwork: "gke-euw4" } })),
    "llmops:gke.clusters.europe-west4.network.existing.network",
    /gemma-chat is served in us-central1 \(the stack's network\) and europe-west4 \(network shared of acme-net-host\), and multi-cluster Services join Services of one VPC only; allowed:/,
  ],
  [
    "two different existing networks",
    prod((c) => {
      c["llmops:gke"].clusters["us-central1"].network = { existing: { ...SHARED, subnetwork: "gke-usc1" } };
      c["llmops:gke"].clusters["europe-west4"].network = { existing: { ...SHARED, network: "other", subnetwork: "gke-euw4" } };
    }),
    "llmops:gke.clusters.europe-west4.network.existing.network",
    /network shared of acme-net-host\) and europe-west4 \(network other of acme-net-host\)/,
  ],
  [
    "the stack's network, then an existing one first",
    prod((c) => (c["llmops:gke"].clusters["us-central1"].network = { existing: { ...SHARED, subnetwork: "gke-usc1" } })),
    "llmops:gke.clusters.europe-west4.network",
    /europe-west4 \(the stack's network\)/,
  ],
];

describe("GKE serving configuration", () => {
  it.each(NETWORKS)("prod: reports %s at its file and key", (_what, flat, key, message) => {
    const found = problems(flat, "prod").filter((p) => p.startsWith(`Pulumi.prod.yaml: ${key}: `));
    expect(found, problems(flat, "prod").join("\n")).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it("accepts prod's two regions on one existing network, with distinct control planes", () => {
    const flat = prod((c) => {
      c["llmops:gke"].clusters["us-central1"].network = { existing: { ...SHARED, subnetwork: "gke-usc1" } };
      c["llmops:gke"].clusters["europe-west4"].network = { existing: { ...SHARED, subnetwork: "gke-euw4" } };
    });
    expect(problems(flat, "prod")).toEqual([]);
  });

  it("accepts the committed stacks", () => {
    expect(problems(committedConfig("dev"))).toEqual([]);
    expect(problems(committedConfig("prod"), "prod")).toEqual([]);
  });

  it("accepts Vertex AI's accelerator names for GKE, so a model changes platform by one key", () => {
    expect(problems(dev((c) => (serving(c).accelerator.type = "NVIDIA_L4")))).toEqual([]);
  });

  it("accepts a TPU model on a single-host slice that it fills", () => {
    const tpu = dev((c) => {
      c["llmops:gke"].clusters["us-central1"].pools.tpu = { tpu: { version: "v5e", topology: "2x2" }, autoscaling: { min: 0, max: 2 }, capacity: ["spot"] };
      c["llmops:gke"].maxAccelerators = 10;
      Object.assign(serving(c), { accelerator: { type: "TPU_V5_LITEPOD", count: 4 }, machineType: "ct5lp-hightpu-4t" });
    });
    expect(problems(tpu)).toEqual([]);
  });

  it.each(BAD)("reports %s at its file and key", (_what, flat, key, message) => {
    const found = problems(flat).filter((p) => p.startsWith(`Pulumi.dev.yaml: ${key}: `));
    expect(found, problems(flat).join("\n")).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it("refuses a TPU model on a batch pool in prod, where the only TPU slice is for batch work", () => {
    const flat = stackWith("prod", (c) => Object.assign(gemma(c).serving, { regions: ["europe-west4"], accelerator: { type: "tpu-v5-lite-podslice", count: 4 }, machineType: "ct5lp-hightpu-4t" }));
    expect(problems(flat, "prod")).toContainEqual(expect.stringMatching(/^Pulumi\.prod\.yaml: llmops:models\.gemma-chat\.serving\.accelerator\.type: no serving pool in europe-west4 has tpu-v5-lite-podslice; allowed: .*l4-serving \(1 × nvidia-l4 on g2-standard-12\)/));
  });
});
