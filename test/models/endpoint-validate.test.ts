import { describe, expect, it } from "vitest";
import { diffEndpointDeployment } from "../../infra/models/providers/endpoint-diff";
import { EndpointDeploymentInputs, EndpointDeploymentOutputs } from "../../infra/models/providers/endpoint-deployment-types";
import { validateEndpointDeployment } from "../../infra/models/providers/endpoint-validate";
import { UNKNOWN } from "../../infra/common/providers/validation";

const MODEL = "projects/llmops-test/locations/us-central1/models/support-llm";
const good: EndpointDeploymentInputs = {
  project: "llmops-test",
  region: "us-central1",
  endpoint: "projects/llmops-test/locations/us-central1/endpoints/4242",
  environment: "prod",
  deployments: [
    {
      deployedModelId: "1234567890",
      model: `${MODEL}@1`,
      displayName: "support-llm-1.0.0",
      machineType: "g2-standard-12",
      acceleratorType: "NVIDIA_L4",
      acceleratorCount: 1,
      minReplicas: 1,
      maxReplicas: 2,
      autoscaling: { metric: "accelerator-duty-cycle", target: 60 },
    },
    { deployedModelId: "2345678901", model: `${MODEL}@v1-1-0`, displayName: "support-llm-1.1.0", machineType: "n1-standard-8", minReplicas: 1, maxReplicas: 1 },
  ],
  trafficSplit: { "1234567890": 90, "2345678901": 10 },
};

function problems(change: Record<string, unknown>): string[] {
  return validateEndpointDeployment({ ...good, ...change }).map((f) => `${f.property}: ${f.reason}`);
}

function deploymentProblems(change: Record<string, unknown>): string[] {
  return problems({ deployments: [{ ...good.deployments[0], ...change }, good.deployments[1]] });
}

describe("EndpointDeployment check", () => {
  it("accepts valid inputs, an endpoint id, and a model pinned by alias", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ endpoint: "4242" })).toEqual([]);
  });

  it("skips values unknown at preview instead of rejecting the placeholder", () => {
    expect(problems({ endpoint: UNKNOWN, trafficSplit: UNKNOWN })).toEqual([]);
    expect(deploymentProblems({ model: UNKNOWN, minReplicas: UNKNOWN })).toEqual([]);
  });

  it.each([
    [{ project: "" }, /^project: "" is invalid; expected a project id or number$/],
    [{ region: "us central" }, /^region: "us central" is invalid/],
    [{ endpoint: "projects/llmops-test/locations/europe-west4/endpoints/4242" }, /^endpoint: endpoint is in europe-west4 but region is us-central1$/],
    [{ endpoint: "Endpoint 4242" }, /^endpoint: "Endpoint 4242" is neither/],
    [{ environment: "staging" }, /^environment: "staging" is not allowed; allowed: dev, prod$/],
    [{ allowEmpty: "yes" }, /^allowEmpty: must be a boolean$/],
    [{ deployments: {} }, /^deployments: must be a list$/],
    [{ trafficSplit: { "1234567890": 90, "2345678901": 20 } }, /^trafficSplit: percentages sum to 110; they must sum to 100$/],
    [{ trafficSplit: { "1234567890": 100, "999": 0 } }, /^trafficSplit\.999: names no deployment; deployed model ids: 1234567890, 2345678901$/],
    [{ trafficSplit: { "1234567890": 99.5, "2345678901": 0.5 } }, /^trafficSplit\.1234567890: 99\.5 is invalid; expected an integer from 0 to 100$/],
    [{ deployments: [], trafficSplit: {} }, /^deployments: is empty on a prod endpoint, which would undeploy every model; set allowEmpty: true/],
    [{ deployments: [], trafficSplit: { "1234567890": 100 }, environment: "dev" }, /must be empty when there are no deployments|names no deployment/],
    [{ protocol: "http" }, /^protocol: "http" would send Google credentials in clear text/],
    [{ apiEndpoint: "http://127.0.0.1:8080" }, /^apiEndpoint: "http:\/\/127\.0\.0\.1:8080" is not host\[:port\]/],
    [{ operationTimeoutMs: 0 }, /^operationTimeoutMs: must be a positive number of milliseconds/],
    [{ trafficHeadroom: 150 }, /^trafficHeadroom: 150 is invalid; expected an integer from 0 to 100$/],
    [{ trafficHeadroom: 12.5 }, /^trafficHeadroom: 12\.5 is invalid; expected an integer from 0 to 100$/],
    [{ runTimeoutMs: -1 }, /^runTimeoutMs: must be a positive number of milliseconds, got -1$/],
  ])("rejects %j", (change, message) => {
    expect(problems(change)).toContainEqual(expect.stringMatching(message));
  });

  it("accepts a headroom and a run timeout", () => {
    expect(problems({ trafficHeadroom: 0 })).toEqual([]);
    expect(problems({ trafficHeadroom: 25, runTimeoutMs: 1_800_000 })).toEqual([]);
  });

  it("accepts an empty prod deployment with allowEmpty, and an empty dev one", () => {
    expect(problems({ deployments: [], trafficSplit: {}, allowEmpty: true })).toEqual([]);
    expect(problems({ deployments: [], trafficSplit: {}, environment: "dev" })).toEqual([]);
  });

  it.each([
    [{ deployedModelId: "0123" }, /deployedModelId: "0123" is invalid; expected 1-10 digits not starting with 0/],
    [{ deployedModelId: "12345678901" }, /deployedModelId: "12345678901" is invalid/],
    [{ model: `${MODEL}` }, /model: ".*support-llm" is invalid; expected a model version by id or alias/],
    [{ model: `${MODEL}@default` }, /model: @default moves whenever another version becomes the default/],
    [{ model: "projects/llmops-test/locations/europe-west4/models/support-llm@1" }, /model: model is in europe-west4 but the endpoint is in us-central1/],
    [{ displayName: "" }, /displayName: "" is invalid; expected 1-128 characters/],
    [{ machineType: "G2 Standard" }, /machineType: "G2 Standard" is invalid/],
    [{ acceleratorType: "nvidia-l4" }, /acceleratorType: "nvidia-l4" is not allowed; allowed: NVIDIA_TESLA_K80, .*NVIDIA_L4/],
    [{ acceleratorType: undefined, autoscaling: { metric: "accelerator-duty-cycle", target: 60 } }, /acceleratorCount: is set but acceleratorType is not/],
    [{ acceleratorType: undefined, acceleratorCount: undefined }, /autoscaling\.metric: accelerator-duty-cycle needs an acceleratorType/],
    [{ minReplicas: 0 }, /minReplicas: 0 is invalid; expected an integer from 1 to 1000/],
    [{ minReplicas: 3, maxReplicas: 2 }, /maxReplicas: 2 is below minReplicas 3/],
    [{ autoscaling: { metric: "gpu", target: 60 } }, /autoscaling\.metric: "gpu" is not allowed; allowed: accelerator-duty-cycle, cpu-utilization/],
    [{ autoscaling: { metric: "cpu-utilization", target: 0 } }, /autoscaling\.target: 0 is invalid/],
    [{ serviceAccount: "not an email" }, /serviceAccount: "not an email" is invalid; expected a service account email/],
  ])("rejects deployment %j", (change, message) => {
    expect(deploymentProblems(change).join("\n")).toMatch(message);
  });

  it("rejects a deployed model id used twice, with the property path of each problem", () => {
    const twice = problems({ deployments: [good.deployments[0], { ...good.deployments[1], deployedModelId: "1234567890" }], trafficSplit: { "1234567890": 100 } });
    expect(twice).toContain("deployments: deployed model id 1234567890 is used twice");
    expect(problems({ deployments: [{ ...good.deployments[0], minReplicas: -1 }, good.deployments[1]] })[0]).toMatch(/^deployments\[0\]\.minReplicas: /);
  });
});

describe("EndpointDeployment diff", () => {
  const olds: EndpointDeploymentOutputs = {
    ...good,
    endpointName: good.endpoint,
    deployedModels: good.deployments,
    trafficSplit: { "1234567890": 90, "2345678901": 10 },
  };

  it("reports a stage change as a traffic-only update, never a replacement", () => {
    const diff = diffEndpointDeployment(olds, { ...good, trafficSplit: { "1234567890": 50, "2345678901": 50 } });
    expect(diff).toMatchObject({ changes: true, replaces: [], changedKeys: ["trafficSplit"], stables: ["endpointName"] });
  });

  it("reports no change for an equal split written differently", () => {
    expect(diffEndpointDeployment({ ...olds, trafficSplit: { "2345678901": 10, "1234567890": 90 } }, good)).toMatchObject({ changes: false, changedKeys: [] });
  });

  it("replaces only when the target endpoint changes, not when its name is spelled differently", () => {
    expect(diffEndpointDeployment(olds, { ...good, endpoint: "4242" })).toMatchObject({ replaces: [], changedKeys: ["endpoint"] });
    const byNumber = { ...good, endpoint: "projects/123456789012/locations/us-central1/endpoints/4242" };
    expect(diffEndpointDeployment(olds, byNumber).replaces).toEqual([]);
    // The endpoint's full name still names the same endpoint: no replacement, whose delete would empty it.
    expect(diffEndpointDeployment(olds, { ...good, project: "other-project" })).toMatchObject({ replaces: [], changedKeys: ["project"] });
    expect(diffEndpointDeployment(olds, { ...good, endpoint: "5151" }).replaces).toEqual(["endpoint"]);
    expect(diffEndpointDeployment({ ...olds, endpoint: "4242" }, { ...good, endpoint: "4242", project: "other-project" }).replaces).toEqual(["project"]);
    expect(diffEndpointDeployment(olds, { ...good, region: "europe-west4", endpoint: "4242" }).replaces).toEqual(["region", "endpoint"]);
    expect(diffEndpointDeployment(olds, { ...good, endpoint: UNKNOWN }).replaces).toEqual(["endpoint"]);
  });

  it("updates in place for deployments, replicas, drift and settings", () => {
    const more = { ...good, deployments: [{ ...good.deployments[0], maxReplicas: 4 }, good.deployments[1]] };
    expect(diffEndpointDeployment(olds, more)).toMatchObject({ replaces: [], changedKeys: ["deployments"] });
    const drifted = { ...olds, deployedModels: [good.deployments[0]] }; // someone undeployed the candidate
    expect(diffEndpointDeployment(drifted, good).changedKeys).toEqual(["deployments"]);
    expect(diffEndpointDeployment(olds, { ...good, allowEmpty: true }).changedKeys).toEqual(["allowEmpty"]);
    expect(diffEndpointDeployment(olds, { ...good, allowEmpty: false }).changedKeys).toEqual([]);
    expect(diffEndpointDeployment(olds, { ...good, deployments: [{ ...good.deployments[0], model: UNKNOWN }, good.deployments[1]] }).changedKeys).toEqual(["deployments"]);
  });
});
