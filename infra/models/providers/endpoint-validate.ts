import { acceleratorTypes } from "./aiplatform";
import { connectionProblems } from "./connection";
import { AUTOSCALING_METRIC_NAMES, AutoscalingMetric, EndpointDeploymentInputs } from "./endpoint-deployment-types";
import { endpointResourceName, parseEndpointName, parseModelName } from "./resource-names";
import { CheckFailure, Failures, failures, PROJECT_PATTERN, REGION_PATTERN, isFullyKnown, isUnknown } from "../../common/providers/validation";

const DEPLOYED_MODEL_ID = /^[1-9][0-9]{0,9}$/;
const MACHINE_TYPE = /^[a-z0-9]+(-[a-z0-9]+)+$/;
const SERVICE_ACCOUNT = /^[a-z0-9][a-z0-9-]*@[a-z0-9.-]+$/;

/** Accelerator enum names of the installed client, so the list tracks the API the provider calls. */
function acceleratorNames(): string[] {
  return Object.keys(acceleratorTypes()).filter((name) => name !== "ACCELERATOR_TYPE_UNSPECIFIED");
}

function checkDeployment(f: Failures, path: string, raw: unknown, region: unknown, accelerators: string[]): void {
  if (isUnknown(raw)) return;
  if (typeof raw !== "object" || raw === null) return f.add(path, "must be an object");
  const d = raw as Record<string, unknown>;
  f.string(`${path}.deployedModelId`, d.deployedModelId, DEPLOYED_MODEL_ID, "1-10 digits not starting with 0 (see deployedModelId())");
  const pinnedModel = "a model version by id or alias: projects/P/locations/R/models/ID@N or …@v1-2-0";
  if (f.string(`${path}.model`, d.model, /@([0-9]+|[a-z][a-zA-Z0-9-]{0,126}[a-z0-9])$/, pinnedModel)) {
    const ref = parseModelName(d.model);
    if (!ref) f.add(`${path}.model`, `"${d.model}" is not ${pinnedModel}`);
    else if (ref.version === "default") f.add(`${path}.model`, `@default moves whenever another version becomes the default; pin a version id or the semver alias`);
    else if (typeof region === "string" && ref.location !== region) {
      f.add(`${path}.model`, `model is in ${ref.location} but the endpoint is in ${region}; upload the version to ${region}`);
    }
  }
  f.string(`${path}.displayName`, d.displayName, /^.{1,128}$/, "1-128 characters");
  f.string(`${path}.machineType`, d.machineType, MACHINE_TYPE, "a machine type such as g2-standard-12");
  const hasAccelerator = f.oneOf(`${path}.acceleratorType`, d.acceleratorType, accelerators, true);
  if (f.integer(`${path}.acceleratorCount`, d.acceleratorCount, 1, 16, true) && d.acceleratorType === undefined) {
    f.add(`${path}.acceleratorCount`, "is set but acceleratorType is not");
  }
  const min = f.integer(`${path}.minReplicas`, d.minReplicas, 1, 1000);
  const max = f.integer(`${path}.maxReplicas`, d.maxReplicas, 1, 1000);
  if (min && max && (d.maxReplicas as number) < (d.minReplicas as number)) {
    f.add(`${path}.maxReplicas`, `${d.maxReplicas} is below minReplicas ${d.minReplicas}`);
  }
  if (d.autoscaling !== undefined && !isUnknown(d.autoscaling)) {
    const a = d.autoscaling as Record<string, unknown>;
    const metrics = Object.keys(AUTOSCALING_METRIC_NAMES) as AutoscalingMetric[];
    if (f.oneOf(`${path}.autoscaling.metric`, a.metric, metrics) && a.metric === "accelerator-duty-cycle" && !hasAccelerator && !isUnknown(d.acceleratorType)) {
      f.add(`${path}.autoscaling.metric`, "accelerator-duty-cycle needs an acceleratorType; use cpu-utilization for CPU-only machines");
    }
    f.integer(`${path}.autoscaling.target`, a.target, 1, 100);
  }
  f.string(`${path}.serviceAccount`, d.serviceAccount, SERVICE_ACCOUNT, "a service account email", true);
}

function checkTraffic(f: Failures, inputs: Partial<Record<keyof EndpointDeploymentInputs, unknown>>): void {
  const split = inputs.trafficSplit;
  if (isUnknown(split)) return;
  if (typeof split !== "object" || split === null || Array.isArray(split)) return f.add("trafficSplit", "must be a map of deployed model id to percent");
  const deployments = Array.isArray(inputs.deployments) ? (inputs.deployments as Record<string, unknown>[]) : undefined;
  const ids = deployments?.map((d) => d?.deployedModelId);
  const idsKnown = ids !== undefined && ids.every((id) => typeof id === "string");
  let sum = 0;
  for (const [id, percent] of Object.entries(split as Record<string, unknown>)) {
    if (f.integer(`trafficSplit.${id}`, percent, 0, 100)) sum += percent as number;
    if (idsKnown && !ids.includes(id)) f.add(`trafficSplit.${id}`, `names no deployment; deployed model ids: ${ids.join(", ") || "none"}`);
  }
  if (!isFullyKnown(split) || deployments === undefined) return;
  if (deployments.length > 0 && sum !== 100) f.add("trafficSplit", `percentages sum to ${sum}; they must sum to 100`);
  if (deployments.length === 0 && sum !== 0) f.add("trafficSplit", "must be empty when there are no deployments");
}

/** Every problem with `inputs`, as Pulumi check failures. */
export function validateEndpointDeployment(inputs: Partial<Record<keyof EndpointDeploymentInputs, unknown>>): CheckFailure[] {
  const f = failures();
  f.string("project", inputs.project, PROJECT_PATTERN, "a project id or number");
  const regionOk = f.string("region", inputs.region, REGION_PATTERN, "a region such as us-central1");
  if (f.string("endpoint", inputs.endpoint, /./, "an endpoint resource name or id") && typeof inputs.project === "string" && regionOk) {
    const name = endpointResourceName(inputs.project, inputs.region as string, inputs.endpoint);
    const location = name ? parseEndpointName(name)?.location : undefined;
    if (!name) f.add("endpoint", `"${inputs.endpoint}" is neither projects/P/locations/R/endpoints/E nor an endpoint id`);
    else if (location !== inputs.region) f.add("endpoint", `endpoint is in ${location} but region is ${String(inputs.region)}`);
  }
  f.oneOf("environment", inputs.environment, ["dev", "prod"] as const);
  if (inputs.allowEmpty !== undefined && !isUnknown(inputs.allowEmpty) && typeof inputs.allowEmpty !== "boolean") {
    f.add("allowEmpty", "must be a boolean");
  }

  const deployments = inputs.deployments;
  if (!isUnknown(deployments)) {
    if (!Array.isArray(deployments)) f.add("deployments", "must be a list");
    else {
      const accelerators = acceleratorNames();
      deployments.forEach((d, i) => checkDeployment(f, `deployments[${i}]`, d, inputs.region, accelerators));
      const ids = deployments.map((d: Record<string, unknown>) => d?.deployedModelId).filter((id) => typeof id === "string" && !isUnknown(id));
      for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) f.add("deployments", `deployed model id ${id} is used twice`);
      if (deployments.length === 0 && inputs.environment === "prod" && inputs.allowEmpty !== true) {
        f.add("deployments", "is empty on a prod endpoint, which would undeploy every model; set allowEmpty: true if that is intended");
      }
    }
  }
  checkTraffic(f, inputs);
  f.integer("trafficHeadroom", inputs.trafficHeadroom, 0, 100, true);
  const runTimeout = inputs.runTimeoutMs;
  if (runTimeout !== undefined && !isUnknown(runTimeout) && !(typeof runTimeout === "number" && runTimeout > 0 && Number.isFinite(runTimeout))) {
    f.add("runTimeoutMs", `must be a positive number of milliseconds, got ${String(runTimeout)}`);
  }
  for (const [property, reason] of connectionProblems(inputs as EndpointDeploymentInputs)) f.add(property, reason);
  return f.list;
}
