import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AcceleratorMonitoring, type AcceleratorCluster, IDLE_HOURS, gpuIdleQuery, pendingPodsQuery } from "../../infra/monitoring/accelerators";
import { NotificationChannels } from "../../infra/monitoring/channels";
import { acceleratorClustersOf } from "../../infra/monitoring/monitoring";
import { planMocks } from "../../infra/testing/mock-outputs";

/**
 * AcceleratorMonitoring against a synthetic pool list, under the SDK's mocks in this process:
 * it must not depend on how infra/gke builds clusters, only on the descriptors.
 */
interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

const registered: Registered[] = [];
const PROJECT = "acme-llmops-test";

beforeAll(async () => {
  const mocks = planMocks(PROJECT);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return mocks.newResource(args);
      },
      call: mocks.call,
    },
    "llmops",
    "test",
    true,
  );
  const clusters: AcceleratorCluster[] = [
    { region: "us-east4", cluster: pulumi.output("gpu-only"), pools: [{ name: "h100", kind: "gpu", accelerator: "nvidia-h100-80gb" }, { name: "l4", kind: "gpu", accelerator: "nvidia-l4" }] },
    { region: "us-west4", cluster: "tpu-only", pools: [{ name: "v5e", kind: "tpu", accelerator: "tpu-v5e 2x4" }] },
  ];
  const channels = new NotificationChannels("ch", { project: PROJECT, environment: "test", channels: { emails: ["a@acme.example"] }, labels: { environment: "test" } });
  const monitoring = new AcceleratorMonitoring("acc", {
    project: PROJECT,
    environment: "test",
    labels: { environment: "test" },
    clusters,
    defaults: { acceleratorIdlePercent: 25, pendingPodsMinutes: 45 },
    channels,
  });
  // Wait until every policy's inputs (which hold the cluster name output) have resolved.
  await new Promise<void>((resolve) => pulumi.all(monitoring.alerts.map((a) => a.urn)).apply(() => resolve()));
});

const policies = () => registered.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy");
const byName = (name: string) => {
  const found = policies().find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}: ${policies().map((p) => p.name).join(", ")}`);
  return found.inputs;
};

describe("accelerator alerts from pool descriptors", () => {
  it("creates idle alerts only for the accelerator kinds a cluster has, and a pending-pods alert per cluster", () => {
    expect(policies().map((p) => p.name).sort()).toEqual(["acc-us-east4-gpu-idle", "acc-us-east4-pending-pods", "acc-us-west4-pending-pods", "acc-us-west4-tpu-idle"]);
  });

  it("judges GPU idleness per GPU model, with the configured threshold held for half a day", () => {
    const condition = byName("acc-us-east4-gpu-idle").conditions[0].conditionPrometheusQueryLanguage;
    expect(condition.query).toBe(gpuIdleQuery("gpu-only", 25));
    expect(condition.query).toContain("by (cluster, location, modelName)");
    expect(condition.duration).toBe(`${IDLE_HOURS * 3600}s`);
  });

  it("reads TPU utilisation from the cluster's nodes", () => {
    const condition = byName("acc-us-west4-tpu-idle").conditions[0].conditionThreshold;
    expect(condition.filter).toBe('metric.type="kubernetes.io/node/accelerator/tensorcore_utilization" AND resource.type="k8s_node" AND resource.label.cluster_name="tpu-only" AND resource.label.location="us-west4"');
    expect(condition.thresholdValue).toBe(25);
    expect(condition.comparison).toBe("COMPARISON_LT");
  });

  it("waits the configured time before calling pods stuck", () => {
    const condition = byName("acc-us-west4-pending-pods").conditions[0].conditionPrometheusQueryLanguage;
    expect(condition.query).toBe(pendingPodsQuery("tpu-only"));
    expect(condition.duration).toBe("2700s");
    expect(byName("acc-us-west4-pending-pods").severity).toBe("ERROR");
  });

  it("names the pools in each runbook and routes to the channels", () => {
    const idle = byName("acc-us-east4-gpu-idle");
    expect(idle.documentation.content).toContain("h100 (nvidia-h100-80gb), l4 (nvidia-l4)");
    expect(idle.userLabels).toMatchObject({ region: "us-east4", signal: "accelerator-idle" });
    expect(idle.notificationChannels).toHaveLength(1);
  });
});

describe("descriptors from GKE clusters", () => {
  it("keeps clusters that have accelerator pools, reading kind and label from each pool", () => {
    const name = pulumi.output("c");
    const clusters = acceleratorClustersOf([
      { region: "r1", name, pools: { l4: { pool: { name: "l4", kind: "gpu", label: "nvidia-l4" } } } },
      { region: "r2", name, pools: {} },
    ]);
    expect(clusters).toEqual([{ region: "r1", cluster: name, pools: [{ name: "l4", kind: "gpu", accelerator: "nvidia-l4" }] }]);
  });
});
