import * as pulumi from "@pulumi/pulumi";
import { resolveConnection } from "./connection";
import { EndpointSession, ReconcileResult, executePlan, openEndpointSession, readEndpoint } from "./endpoint-apply";
import { DeploymentSpec, EndpointDeploymentInputs, EndpointDeploymentOutputs, LiveEndpoint } from "./endpoint-deployment-types";
import { diffEndpointDeployment } from "./endpoint-diff";
import { describeStep, planEndpoint } from "./endpoint-plan";
import { validateEndpointDeployment } from "./endpoint-validate";
import { pinModelVersions } from "./model-pins";
import { apiError, hasStatus, partialFailure } from "../../common/providers/errors";
import { InputsOf } from "../../common/providers/inputs";
import { PROVIDER_CODE } from "../../common/providers/provider-code";
import { endpointResourceName, parseEndpointName, sameModelVersion } from "./resource-names";

/**
 * EndpointDeployment: owns every deployed model and the traffic split of one Vertex AI endpoint
 * (created elsewhere, e.g. by `gcp.vertex.AiEndpoint`). Each `pulumi up` reads the endpoint,
 * plans the difference to the desired state (see endpoint-plan.ts for the order that keeps it
 * serving) and applies it step by step. Planning from the live endpoint, not from the last
 * recorded state, is what lets a run that failed half-way be finished by simply running again.
 *
 * The provider object below is serialised into the Pulumi state: its methods load
 * `@google-cloud/aiplatform` where they run and capture only the plain helper functions they call.
 */

function nameOf(inputs: Pick<EndpointDeploymentInputs, "project" | "region" | "endpoint">): string {
  const name = endpointResourceName(inputs.project, inputs.region, inputs.endpoint);
  if (!name) throw new Error(`"${inputs.endpoint}" is neither projects/P/locations/R/endpoints/E nor an endpoint id`);
  return name;
}

function session(inputs: EndpointDeploymentInputs, endpointName: string): EndpointSession {
  return openEndpointSession(endpointName, resolveConnection(inputs.region, inputs));
}

/**
 * Vertex spells the project as a number and the version as an id; where a live deployed model is
 * the one the caller asked for (possibly by alias), keep the caller's spelling so the outputs
 * compare equal to the inputs.
 */
function inCallerSpelling(live: readonly DeploymentSpec[], desired: readonly DeploymentSpec[], pins: ReadonlyMap<string, string>): DeploymentSpec[] {
  return live.map((d) => {
    const wanted = desired.find((w) => w.deployedModelId === d.deployedModelId && sameModelVersion(pins.get(w.model) ?? w.model, d.model));
    return wanted ? { ...d, model: wanted.model } : d;
  });
}

function outputsOf(inputs: EndpointDeploymentInputs, endpointName: string, live: LiveEndpoint, pins: ReadonlyMap<string, string>): EndpointDeploymentOutputs {
  return {
    ...inputs,
    endpointName,
    deployedModels: inCallerSpelling(live.deployedModels, inputs.deployments ?? [], pins),
    trafficSplit: { ...live.trafficSplit },
  };
}

/** `deployments` with every model pinned to a version id. */
function pinned(deployments: readonly DeploymentSpec[], pins: ReadonlyMap<string, string>): DeploymentSpec[] {
  return deployments.map((d) => ({ ...d, model: pins.get(d.model) ?? d.model }));
}

/** "123 (models/m@2) 90%, 456 (models/m@3) 10%": what an endpoint serves, for error messages. */
export function summarizeEndpoint(live: LiveEndpoint): string {
  if (live.deployedModels.length === 0) return "no deployed models";
  return live.deployedModels.map((d) => `${d.deployedModelId} (${d.model}) ${live.trafficSplit[d.deployedModelId] ?? 0}%`).join(", ");
}

function failureMessage(endpointName: string, result: ReconcileResult, now: LiveEndpoint): string {
  const done = result.applied.map(describeStep).join("; ") || "nothing";
  return (
    `${result.failed?.error.message}\nCompleted before the failure: ${done}.\n` +
    `Endpoint ${endpointName} now serves: ${summarizeEndpoint(now)}.\n` +
    `Every model with traffic is still deployed; the next \`pulumi up\` continues from this state.`
  );
}

async function readOrExplain(s: EndpointSession): Promise<LiveEndpoint> {
  try {
    return await readEndpoint(s);
  } catch (err) {
    if (hasStatus(err, "NOT_FOUND")) {
      throw apiError(`endpoint ${s.endpointName} does not exist; create it first (gcp.vertex.AiEndpoint) and pass its id`, "NOT_FOUND", err);
    }
    throw err;
  }
}

/** Brings the endpoint to `inputs`; the shared body of `create` and `update`. */
async function reconcile(inputs: EndpointDeploymentInputs): Promise<EndpointDeploymentOutputs> {
  const endpointName = nameOf(inputs);
  const s = session(inputs, endpointName);
  try {
    const pins = await pinModelVersions(s.connection, inputs.deployments.map((d) => d.model));
    const live = await readOrExplain(s);
    const steps = planEndpoint(endpointName, live, { ...inputs, deployments: pinned(inputs.deployments, pins) });
    const result = await executePlan(s, live, steps);
    const outs = outputsOf(inputs, endpointName, result.live, pins);
    if (result.failed) throw partialFailure(failureMessage(endpointName, result, outs), endpointName, outs, result.failed.error);
    return outs;
  } finally {
    await s.client.close();
  }
}

export const endpointDeploymentProvider = {
  async check(_olds, news) {
    return { inputs: news, failures: validateEndpointDeployment(news) };
  },

  async diff(_id, olds, news) {
    return diffEndpointDeployment(olds, news);
  },

  async create(inputs) {
    const outs = await reconcile(inputs);
    return { id: outs.endpointName, outs };
  },

  async update(_id, olds, news) {
    // Only the provider code changed: return the recorded outputs so the engine stores the new
    // code. Reconciling here would act on drift the preview did not show (it showed only code).
    const { changedKeys } = diffEndpointDeployment(olds, news);
    if (changedKeys.length === 1 && changedKeys[0] === PROVIDER_CODE) {
      return { outs: { ...news, endpointName: olds.endpointName, deployedModels: olds.deployedModels, trafficSplit: olds.trafficSplit } };
    }
    return { outs: await reconcile(news) };
  },

  async read(id: string, props?: EndpointDeploymentOutputs) {
    // Without props this is `pulumi import`: adopt the endpoint as it is, as prod (the safe default).
    const ref = parseEndpointName(id);
    const base: EndpointDeploymentInputs = props ?? {
      project: ref?.project ?? "",
      region: ref?.location ?? "",
      endpoint: id,
      environment: "prod",
      deployments: [],
      trafficSplit: {},
    };
    const s = session(base, id);
    try {
      const live = await readEndpoint(s);
      const inputs = props ? base : { ...base, deployments: live.deployedModels, trafficSplit: live.trafficSplit };
      // An alias that no longer resolves just leaves the live spelling, which the next diff reports.
      const pins = await pinModelVersions(s.connection, inputs.deployments.map((d) => d.model)).catch(() => new Map<string, string>());
      return { id, props: outputsOf(inputs, id, live, pins) };
    } catch (err) {
      if (hasStatus(err, "NOT_FOUND")) return {};
      throw err;
    } finally {
      await s.client.close();
    }
  },

  /**
   * Undeploys everything: traffic to nothing first, then each deployed model. On a prod endpoint
   * this needs `allowEmpty: true` in the last applied inputs. Deletion happens when the resource
   * leaves the program, is renamed without an alias, or moves to another endpoint (replacement):
   * cases that are more often accidents than decisions, so prod takes two deliberate steps.
   */
  async delete(id, props) {
    const s = session(props, id);
    try {
      let live: LiveEndpoint;
      try {
        live = await readEndpoint(s);
      } catch (err) {
        if (hasStatus(err, "NOT_FOUND")) return;
        throw err;
      }
      if (live.deployedModels.length === 0) return;
      if (props.environment === "prod" && props.allowEmpty !== true) {
        throw apiError(
          `endpoint ${id}: refusing to undeploy ${summarizeEndpoint(live)} from a prod endpoint on delete. ` +
            `To really empty it, set allowEmpty: true and run \`pulumi up\`, then delete`,
          "FAILED_PRECONDITION",
        );
      }
      const steps = planEndpoint(id, live, { environment: props.environment, deployments: [], trafficSplit: {}, allowEmpty: true });
      const result = await executePlan(s, live, steps);
      if (result.failed) throw new Error(failureMessage(id, result, result.live), { cause: result.failed.error });
    } finally {
      await s.client.close();
    }
  },
} satisfies pulumi.dynamic.ResourceProvider<EndpointDeploymentInputs, EndpointDeploymentOutputs>;

/** Resource-side arguments: `EndpointDeploymentInputs`, each property accepting `pulumi.Input`. */
export type EndpointDeploymentArgs = InputsOf<EndpointDeploymentInputs>;

/** Type token `pulumi-nodejs:dynamic/vertex:EndpointDeployment`. */
export class EndpointDeployment extends pulumi.dynamic.Resource {
  /** `projects/P/locations/R/endpoints/E`; also the resource id. */
  declare public readonly endpointName: pulumi.Output<string>;
  /** The live deployed models, sorted by id. */
  declare public readonly deployedModels: pulumi.Output<DeploymentSpec[]>;
  /** The live traffic split, with an explicit 0 for every deployed model without traffic. */
  declare public readonly trafficSplit: pulumi.Output<Record<string, number>>;
  declare public readonly environment: pulumi.Output<EndpointDeploymentInputs["environment"]>;

  constructor(name: string, args: EndpointDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(endpointDeploymentProvider, name, { ...args, endpointName: undefined, deployedModels: undefined }, opts, "vertex", "EndpointDeployment");
  }
}

