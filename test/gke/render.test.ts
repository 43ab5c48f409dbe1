import { beforeAll, describe, expect, it } from "vitest";
import { acceleratorSummary } from "../../infra/gke/summary";
import { NODE_ROLES } from "../../infra/gke/node-identity";
import { parseCidr } from "../../lib/cidr";
import { ofType, type Plan, type PlannedResource } from "../../lib/plan";
import type { ConfigProblem } from "../../infra/settings";
import { committedStackFile, componentProblems, renderComponent } from "../helpers/component";
import { committedConfig } from "../helpers/project";
import { renderCommitted } from "../helpers/render";

const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const COMPUTE_CLASS = "kubernetes:cloud.google.com/v1:ComputeClass";

let prod: Plan;
let dev: Plan;
let broken: ConfigProblem[];
let sharedVpc: Plan;

/**
 * Laid over a committed stack: `llmops:gke` (and regions) replaced. Models served on GKE are left
 * out: they are placed on the committed pools, which these variants replace.
 */
function overlay(stack: string, gke: unknown, regions?: string[]): Record<string, unknown> {
  const models = Object.fromEntries(Object.entries<{ serving: { platform?: string } }>(JSON.parse(committedConfig(stack)["llmops:models"])).filter(([, m]) => m.serving.platform !== "gke"));
  return { "llmops:models": models, "llmops:gke": gke, ...(regions ? { "llmops:regions": regions } : {}) };
}

beforeAll(async () => {
  // The committed stacks come from the run's render service (rendered once for every file); the
  // variants render only the GKE component, in this file's one component worker.
  const [committed, brokenProblems, sharedVpcPlan] = await Promise.all([
    renderCommitted("prod", "dev"),
    componentProblems(
      "gke",
      overlay(
        "prod",
        {
          maxAccelerators: 64,
          clusters: {
            "europe-west2": { pools: { h100: { accelerator: "nvidia-h100-80gb", count: 8, autoscaling: { min: 1, max: 1 } } } },
            "us-central1": {
              pools: {
                tpu: { tpu: { version: "v5e", topology: "3x5" }, workload: "batch", autoscaling: { min: 0, max: 1 } },
                l4: { accelerator: "nvidia-l4", autoscaling: { min: 3, max: 2 } },
              },
            },
          },
        },
        ["us-central1", "europe-west2"],
      ),
      committedStackFile("prod"),
    ),
    renderComponent(
      "gke",
      overlay("dev", {
        maxAccelerators: 8,
        clusters: {
          "us-central1": {
            network: { existing: { project: "acme-net-host", network: "shared", subnetwork: "gke-usc1", podsRange: "gke-pods", servicesRange: "gke-services" } },
            pools: { t4: { accelerator: "nvidia-tesla-t4", autoscaling: { min: 1, max: 2 } } },
          },
        },
      }),
      committedStackFile("dev"),
    ),
  ]);
  ({ prod, dev } = committed);
  [broken, sharedVpc] = [brokenProblems, sharedVpcPlan];
});

const named = (plan: Plan, name: string): PlannedResource => {
  const found = plan.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} in ${plan.stack}`);
  return found;
};
const inputs = (r: PlannedResource) => r.inputs as Record<string, any>;

function overlaps(a: string, b: string): boolean {
  const [x, y] = [parseCidr(a), parseCidr(b)];
  if (!x || !y) throw new Error(`not a range: ${a} or ${b}`);
  return x.first <= y.last && y.first <= x.last;
}

describe("the prod clusters", () => {
  it("exist in two regions, regional, private, with Workload Identity, shielded nodes and Dataplane V2", () => {
    const clusters = ofType(prod, CLUSTER);
    expect(clusters.map((c) => inputs(c).location)).toEqual(["europe-west4", "us-central1"]);
    for (const c of clusters) {
      expect(inputs(c)).toMatchObject({
        name: `llmops-prod-${inputs(c).location}`,
        // Private control planes on one VPC need distinct /28s: the second region's is the next.
        privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: inputs(c).location === "us-central1" ? "172.16.0.0/28" : "172.16.0.16/28" },
        workloadIdentityConfig: { workloadPool: "acme-llmops-prod.svc.id.goog" },
        enableShieldedNodes: true,
        datapathProvider: "ADVANCED_DATAPATH",
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: { clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" },
        releaseChannel: { channel: "REGULAR" },
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        deletionProtection: true,
        addonsConfig: { gcsFuseCsiDriverConfig: { enabled: true } },
        gatewayApiConfig: { channel: "CHANNEL_STANDARD" },
        loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
        monitoringConfig: { managedPrometheus: { enabled: true } },
        maintenancePolicy: { recurringWindow: { recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" } },
        resourceLabels: { environment: "prod", "managed-by": "pulumi-llmops", team: "ml-platform" },
      });
      expect(inputs(c).monitoringConfig.enableComponents).toContain("DCGM");
      expect(c.parent).toBe(`urn:pulumi:prod::llmops::llmops:gke:Capacity$llmops:gke:Cluster::gke-${inputs(c).location}`);
      expect(c.options.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/::apis-container$/), expect.stringMatching(/::apis-compute$/)]));
      expect(c.options.ignoreChanges).toEqual(["initialNodeCount", "nodeConfig"]);
    }
  });

  it("share the stack's one VPC: a subnetwork per region with ranges apart from each other, and a router and NAT per region", () => {
    // Multi-cluster Services join Services of one VPC only: both clusters must be on the same network.
    const networks = ofType(prod, "gcp:compute/network:Network");
    expect(networks.map((n) => [n.name, inputs(n).name, inputs(n).routingMode, inputs(n).autoCreateSubnetworks])).toEqual([["gke-network", "llmops-prod", "GLOBAL", false]]);
    const vpc = "https://www.googleapis.com/compute/v1/projects/acme-llmops-prod/global/networks/llmops-prod";
    const expected: Record<string, [string, string, string]> = {
      "us-central1": ["10.0.0.0/20", "10.4.0.0/14", "10.8.0.0/20"],
      "europe-west4": ["10.0.16.0/20", "10.16.0.0/14", "10.8.16.0/20"],
    };
    const ranges: string[] = [];
    for (const [region, [nodes, pods, services]] of Object.entries(expected)) {
      const subnet = named(prod, `gke-${region}-subnet`);
      expect(inputs(subnet)).toMatchObject({
        region,
        network: vpc,
        ipCidrRange: nodes,
        privateIpGoogleAccess: true,
        secondaryIpRanges: [
          { rangeName: "pods", ipCidrRange: pods },
          { rangeName: "services", ipCidrRange: services },
        ],
      });
      const cluster = inputs(named(prod, `gke-${region}-cluster`));
      expect(cluster.network).toBe(vpc);
      expect(cluster.subnetwork).toBe(`https://www.googleapis.com/compute/v1/projects/acme-llmops-prod/regions/${region}/subnetworks/llmops-prod-${region}`);
      expect(inputs(named(prod, `gke-${region}-router`))).toMatchObject({ region, network: vpc });
      expect(inputs(named(prod, `gke-${region}-nat`))).toMatchObject({ region, router: `llmops-prod-${region}`, sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES" });
      ranges.push(nodes, pods, services, cluster.privateClusterConfig.masterIpv4CidrBlock);
    }
    // No two ranges on the VPC overlap (nodes, pods, services, control planes of both regions).
    for (const [i, a] of ranges.entries()) for (const b of ranges.slice(i + 1)) expect(overlaps(a, b), `${a} and ${b}`).toBe(false);
  });

  it("run nodes as a dedicated least-privilege account", () => {
    const account = named(prod, "gke-us-central1-nodes");
    const email = "llmops-gke-us-central1-prod@acme-llmops-prod.iam.gserviceaccount.com";
    const grants = prod.resources.filter((r) => r.parent === account.urn);
    expect(grants.filter((g) => g.type === "gcp:projects/iAMMember:IAMMember").map((g) => inputs(g).role).sort()).toEqual([...NODE_ROLES].sort());
    expect(grants.filter((g) => g.type !== "gcp:projects/iAMMember:IAMMember").map((g) => [g.type, inputs(g).role, inputs(g).repository ?? inputs(g).member])).toEqual([
      ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "roles/artifactregistry.reader", "projects/acme-llmops-prod/locations/us-central1/repositories/llmops-images-prod"],
      // Only the CI deployer may create nodes that run as the account (actAs on this account alone).
      ["gcp:serviceaccount/iAMMember:IAMMember", "roles/iam.serviceAccountUser", "serviceAccount:llmops-deployer-prod@acme-llmops-prod.iam.gserviceaccount.com"],
    ]);
    for (const pool of ofType(prod, NODE_POOL).filter((p) => inputs(p).location === "us-central1")) {
      expect(inputs(pool).nodeConfig.serviceAccount).toBe(email);
      expect(pool.options.dependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/::gke-us-central1-nodes-logging-logwriter$/), expect.stringMatching(/::gke-us-central1-nodes-actas$/)]));
    }
  });

  it("keep an untainted system pool for system pods", () => {
    const system = named(prod, "gke-europe-west4-system");
    expect(inputs(system)).toMatchObject({ name: "system", autoscaling: { totalMinNodeCount: 3, totalMaxNodeCount: 6 }, nodeConfig: { machineType: "e2-standard-4", imageType: "COS_CONTAINERD" } });
    expect(inputs(system).nodeConfig.taints).toBeUndefined();
  });
});

describe("the prod accelerator pools", () => {
  const gpuPools = () => ofType(prod, NODE_POOL).filter((p) => inputs(p).nodeConfig.guestAccelerators);

  it("attach L4s with GKE-managed drivers, tainted and labelled for serving only", () => {
    expect(gpuPools().map((p) => p.name)).toEqual(["gke-europe-west4-l4-serving-on-demand", "gke-us-central1-l4-serving-on-demand", "gke-us-central1-l4-serving-reservation", "gke-us-central1-l4-serving-spot"]);
    for (const p of gpuPools()) {
      expect(inputs(p).nodeConfig).toMatchObject({
        machineType: "g2-standard-12",
        imageType: "COS_CONTAINERD",
        guestAccelerators: [{ type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }],
        labels: { workload: "serving", "llmops-pool": "l4-serving" },
        resourceLabels: { environment: "prod", workload: "serving" },
      });
      expect(inputs(p).nodeConfig.taints).toContainEqual({ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" });
      expect(inputs(p).management).toEqual({ autoUpgrade: true, autoRepair: true });
      expect(p.parent).toMatch(/llmops:gke:Cluster\$llmops:gke:AcceleratorPool::gke-(us-central1|europe-west4)-l4-serving$/);
    }
  });

  it("consume the reservation in its zone, holding the baseline, with on-demand and spot behind it", () => {
    const reserved = inputs(named(prod, "gke-us-central1-l4-serving-reservation"));
    expect(reserved).toMatchObject({ nodeLocations: ["us-central1-a"], autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 8 }, initialNodeCount: 2 });
    expect(reserved.nodeConfig.reservationAffinity).toEqual({ consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["llmops-l4-us-central1"] });
    expect(inputs(named(prod, "gke-us-central1-l4-serving-spot"))).toMatchObject({ autoscaling: { totalMinNodeCount: 0 }, nodeConfig: { spot: true } });
  });

  it("give the TPU pool its topology and the node count it implies: two slices of two 4-chip hosts", () => {
    const slices = ofType(prod, NODE_POOL).filter((p) => p.name.startsWith("gke-europe-west4-tpu-batch"));
    expect(slices.map((s) => inputs(s).name)).toEqual(["tpu-batch-spot-s0", "tpu-batch-spot-s1"]);
    for (const s of slices) {
      expect(inputs(s)).toMatchObject({
        nodeLocations: ["europe-west4-b"],
        placementPolicy: { type: "COMPACT", tpuTopology: "2x4" },
        autoscaling: { totalMinNodeCount: 0, totalMaxNodeCount: 2 },
        nodeConfig: { machineType: "ct5lp-hightpu-4t", spot: true, labels: { workload: "batch" }, taints: [{ key: "google.com/tpu", value: "present", effect: "NO_SCHEDULE" }] },
      });
    }
  });

  it("fall back through a ComputeClass: reservation, then on-demand, then spot", () => {
    const [cc] = ofType(prod, COMPUTE_CLASS);
    expect(cc.name).toBe("gke-us-central1-l4-serving-class");
    expect(inputs(cc)).toMatchObject({ apiVersion: "cloud.google.com/v1", kind: "ComputeClass", metadata: { name: "l4-serving" } });
    expect(inputs(cc).spec.priorities).toEqual([{ nodepools: ["l4-serving-reservation"] }, { nodepools: ["l4-serving-on-demand"] }, { nodepools: ["l4-serving-spot"] }]);
    expect(cc.options.dependsOn.filter((d) => d.includes("nodePool:NodePool"))).toHaveLength(3);
  });

  it("reach each cluster through a Kubernetes provider built from its endpoint and CA", () => {
    const provider = named(prod, "gke-us-central1-k8s");
    const kubeconfig = JSON.parse(inputs(provider).kubeconfig);
    expect(kubeconfig.clusters[0].cluster.server).toBe(`https://${(prod.outputs.gke as Record<string, any>)["us-central1"].endpoint}`);
    expect(kubeconfig.clusters[0].cluster["certificate-authority-data"]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(kubeconfig.users[0].user.exec.command).toBe("gke-gcloud-auth-plugin");
  });

  it("export, per region, the cluster and what each pool holds", () => {
    expect((prod.outputs.gke as Record<string, any>)["us-central1"]).toMatchObject({
      cluster: "llmops-prod-us-central1",
      pools: { "l4-serving": { accelerator: "nvidia-l4", perNode: 1, computeClass: "l4-serving", nodePools: ["l4-serving-reservation", "l4-serving-on-demand", "l4-serving-spot"] } },
    });
  });

  it("keep their logical names and types (public API: a rename needs an alias)", () => {
    const gke = prod.resources.filter((r) => r.name.startsWith("gke-")).map((r) => `${r.type} ${r.name}`);
    const pinned = gke.filter((n) => n.startsWith("llmops:") || n.includes("container/") || n.includes("ComputeClass") || n.includes("providers"));
    const byName = (a: string, b: string) => (a.split(" ")[1] < b.split(" ")[1] ? -1 : 1);
    expect(pinned.sort(byName)).toEqual([
      "llmops:gke:Cluster gke-europe-west4",
      "gcp:container/cluster:Cluster gke-europe-west4-cluster",
      "pulumi:providers:kubernetes gke-europe-west4-k8s",
      "llmops:gke:AcceleratorPool gke-europe-west4-l4-serving",
      "gcp:container/nodePool:NodePool gke-europe-west4-l4-serving-on-demand",
      "gcp:container/nodePool:NodePool gke-europe-west4-system",
      "llmops:gke:AcceleratorPool gke-europe-west4-tpu-batch",
      "gcp:container/nodePool:NodePool gke-europe-west4-tpu-batch-spot-s0",
      "gcp:container/nodePool:NodePool gke-europe-west4-tpu-batch-spot-s1",
      "llmops:gke:Cluster gke-us-central1",
      "gcp:container/cluster:Cluster gke-us-central1-cluster",
      "pulumi:providers:kubernetes gke-us-central1-k8s",
      "llmops:gke:AcceleratorPool gke-us-central1-l4-serving",
      "kubernetes:cloud.google.com/v1:ComputeClass gke-us-central1-l4-serving-class",
      "gcp:container/nodePool:NodePool gke-us-central1-l4-serving-on-demand",
      "gcp:container/nodePool:NodePool gke-us-central1-l4-serving-reservation",
      "gcp:container/nodePool:NodePool gke-us-central1-l4-serving-spot",
      "gcp:container/nodePool:NodePool gke-us-central1-system",
    ]);
  });

  it("print per region the accelerators and the stack's worst case", () => {
    expect(acceleratorSummary(prod)).toEqual([
      "accelerators: worst case 44 (28 GPUs, 16 TPU chips)",
      "  region        accelerator  baseline  maximum  node pools",
      "  europe-west4  nvidia-l4           1        4           1",
      "  europe-west4  tpu-v5e 2x4         0       16           2",
      "  us-central1   nvidia-l4           2       24           3",
    ]);
  });
});

describe("other stacks and configs", () => {
  it("dev: one small L4 pool on spot that scales to zero, no ComputeClass, no deletion protection", () => {
    const pools = ofType(dev, NODE_POOL).filter((p) => inputs(p).nodeConfig.guestAccelerators);
    expect(pools.map((p) => [inputs(p).name, inputs(p).autoscaling.totalMinNodeCount, inputs(p).autoscaling.totalMaxNodeCount, inputs(p).nodeConfig.spot, inputs(p).nodeConfig.machineType])).toEqual([
      ["l4-spot", 0, 2, true, "g2-standard-8"],
    ]);
    expect(ofType(dev, COMPUTE_CLASS)).toEqual([]);
    expect(ofType(dev, CLUSTER).map((c) => inputs(c).deletionProtection)).toEqual([false]);
    expect(acceleratorSummary(dev)[0]).toBe("accelerators: worst case 2 (2 GPUs)");
  });

  it("an H100 where there is none, a TPU topology that does not exist and min > max fail together, by file and key", () => {
    const problems = broken.filter((p) => p.key.startsWith("llmops:gke"));
    expect(problems.map((p) => `${p.file}: ${p.key}`).sort()).toEqual([
      "Pulumi.prod.yaml: llmops:gke.clusters.europe-west2.pools.h100.accelerator",
      "Pulumi.prod.yaml: llmops:gke.clusters.us-central1.pools.l4.autoscaling.min",
      "Pulumi.prod.yaml: llmops:gke.clusters.us-central1.pools.tpu.tpu.topology",
    ]);
  });

  it("an existing shared VPC is referenced by path; no network, router or NAT is created (dev)", () => {
    expect(sharedVpc.resources.filter((r) => r.type.startsWith("gcp:compute/"))).toEqual([]);
    expect(inputs(ofType(sharedVpc, CLUSTER)[0])).toMatchObject({
      network: "projects/acme-net-host/global/networks/shared",
      subnetwork: "projects/acme-net-host/regions/us-central1/subnetworks/gke-usc1",
      ipAllocationPolicy: { clusterSecondaryRangeName: "gke-pods", servicesSecondaryRangeName: "gke-services" },
    });
  });
});
