import * as pulumi from "@pulumi/pulumi";
import { ResolvedConnection, resolveConnection } from "./connection";
import { openEndpointApi, openEndpointReader } from "./endpoint-api";
import { DEFAULT_RUN_TIMEOUT_MS, EndpointRun } from "./endpoint-apply";
import { DeploymentSpec, EndpointDeploymentInputs, EndpointDeploymentOutputs } from "./endpoint-deployment-types";
import { EndpointDeploymentDiff, compareTargets, diffEndpointDeployment } from "./endpoint-diff";
import { drainEndpoint, observeEndpoint, readDeployment, reconcileEndpoint } from "./endpoint-reconcile";
import { validateEndpointDeployment } from "./endpoint-validate";
import { describeError } from "../../common/providers/errors";
import { InputsOf } from "../../common/providers/inputs";
import { pinModelVersions } from "./model-pins";
import { PROVIDER_CODE } from "../../common/providers/provider-code";
import { endpointResourceName, parseEndpointName } from "./resource-names";
import { isFullyKnown } from "../../common/providers/validation";
import { DynamicResource } from "../../common/dynamic-resource";

export { summarizeEndpoint } from "./endpoint-reconcile";

/**
 * EndpointDeployment: owns every deployed model and the traffic split of one Vertex AI endpoint
 * (created elsewhere, e.g. by `gcp.vertex.AiEndpoint`). Each `pulumi up` waits for operations
 * already running on the endpoint, reads it, plans the difference to the desired state (see
 * endpoint-plan.ts for the order that keeps it serving) and applies it step by step; `diff` reads
 * the endpoint too, so a run reports changes whenever Vertex AI serves something other than the
 * program, whatever the recorded state says. That is what lets a run that failed, timed out or
 * was killed half-way be finished by simply running again.
 *
 * The provider object below is serialised into the Pulumi state: its methods load
 * `@google-cloud/aiplatform` where they run and capture only the plain helper functions they call.
 */

function nameOf(inputs: Pick<EndpointDeploymentInputs, "project" | "region" | "endpoint">): string {
  const name = endpointResourceName(inputs.project, inputs.region, inputs.endpoint);
  if (!name) throw new Error(`"${inputs.endpoint}" is neither projects/P/locations/R/endpoints/E nor an endpoint id`);
  return name;
}

/** Opens the API (on the process's shared client) for one create, update, delete or read; `use` runs with it. */
async function withRun<T>(inputs: EndpointDeploymentInputs, endpointName: string, use: (run: EndpointRun, connection: ResolvedConnection) => Promise<T>): Promise<T> {
  const connection = resolveConnection(inputs.region, inputs);
  const api = openEndpointApi(endpointName, connection);
  const run: EndpointRun = { api, retry: connection.retry, operation: connection.operation, deadline: Date.now() + (inputs.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS) };
  try {
    return await use(run, connection);
  } finally {
    await api.close();
  }
}

/** A diff reads at most this long per request, and retries a 429/503 once: previews stay quick. */
const DIFF_READ_TIMEOUT_MS = 20_000;

/**
 * The diff, reading the endpoint where it can, and naming on stderr (which the engine shows with
 * the run's diagnostics) how the endpoint differs from the program. Where it cannot read it (no
 * credentials in a CI preview, no permission, no network) it compares the recorded state with the
 * program, as any provider would, and says so there.
 */
async function diffWithLive(olds: EndpointDeploymentOutputs, news: EndpointDeploymentInputs): Promise<EndpointDeploymentDiff> {
  const recorded = diffEndpointDeployment(olds, news);
  const readable = isFullyKnown([news.project, news.region, news.endpoint, news.deployments, news.trafficSplit]) && compareTargets(olds, news) !== "different";
  if (!readable) return recorded;
  const endpointName = endpointResourceName(news.project, news.region, news.endpoint) ?? news.endpoint;
  try {
    const connection = resolveConnection(news.region, news);
    const retry = { ...connection.retry, maxAttempts: Math.min(2, connection.retry.maxAttempts) };
    const reader = openEndpointReader(endpointName, news.region, news, DIFF_READ_TIMEOUT_MS);
    try {
      const view = await observeEndpoint(reader, retry, olds, news, () => openEndpointReader(olds.endpointName ?? nameOf(olds), news.region, news, DIFF_READ_TIMEOUT_MS));
      const diff = diffEndpointDeployment(olds, news, view);
      // The host forwards no property diff, so the preview would show an update without saying
      // why when only the endpoint differs: say it with the diagnostics.
      if (diff.liveDifferences.length > 0) {
        console.error(`EndpointDeployment ${endpointName}: the live endpoint differs from the program: ${diff.liveDifferences.join("; ")}.`);
      }
      return diff;
    } finally {
      await reader.close();
    }
  } catch (err) {
    console.error(
      `EndpointDeployment ${endpointName}: the live endpoint was not read (${describeError(err).message}); ` +
        `this diff compares the recorded state with the program only.`,
    );
    return recorded;
  }
}

async function pins(connection: ResolvedConnection, deployments: readonly DeploymentSpec[]): Promise<Map<string, string>> {
  return pinModelVersions(connection, deployments.map((d) => d.model));
}

export const endpointDeploymentProvider = {
  async check(_olds, news) {
    return { inputs: news, failures: validateEndpointDeployment(news) };
  },

  async diff(_id, olds, news) {
    return diffWithLive(olds, news);
  },

  async create(inputs) {
    const endpointName = nameOf(inputs);
    const outs = await withRun(inputs, endpointName, async (run, connection) => reconcileEndpoint(run, inputs, await pins(connection, inputs.deployments), false));
    return { id: outs.endpointName, outs };
  },

  async update(_id, olds, news) {
    // Only the provider code changed: return the recorded outputs so the engine stores the new
    // code, and call no API. (If the endpoint also drifted, the next run's diff reads it.)
    const { changedKeys } = diffEndpointDeployment(olds, news);
    if (changedKeys.length === 1 && changedKeys[0] === PROVIDER_CODE) {
      return { outs: { ...news, endpointName: olds.endpointName, deployedModels: olds.deployedModels, trafficSplit: olds.trafficSplit } };
    }
    const endpointName = nameOf(news);
    return { outs: await withRun(news, endpointName, async (run, connection) => reconcileEndpoint(run, news, await pins(connection, news.deployments), true)) };
  },

  async read(id: string, props?: EndpointDeploymentOutputs) {
    // Without props this is `pulumi import`: adopt the endpoint as it is, as prod (the safe default).
    const ref = parseEndpointName(id);
    const base: EndpointDeploymentInputs = props ?? { project: ref?.project ?? "", region: ref?.location ?? "", endpoint: id, environment: "prod", deployments: [], trafficSplit: {} };
    const outs = await withRun(base, id, (run, connection) => readDeployment(run, base, !props, (models) => pinModelVersions(connection, models)));
    return outs ? { id, props: outs } : {};
  },

  /**
   * Undeploys everything, keeping the endpoint serving until its last model goes (planDrain). On
   * a prod endpoint this needs `allowEmpty: true` in the last applied inputs. Deletion happens
   * when the resource leaves the program, is renamed without an alias, or moves to another
   * endpoint (replacement): cases that are more often accidents than decisions, so prod takes two
   * deliberate steps.
   */
  async delete(id, props) {
    await withRun(props, id, (run) => drainEndpoint(run, props));
  },
} satisfies pulumi.dynamic.ResourceProvider<EndpointDeploymentInputs, EndpointDeploymentOutputs>;

/** Resource-side arguments: `EndpointDeploymentInputs`, each property accepting `pulumi.Input`. */
export type EndpointDeploymentArgs = InputsOf<EndpointDeploymentInputs>;

/** Type token `pulumi-nodejs:dynamic/vertex:EndpointDeployment`. */
export class EndpointDeployment extends DynamicResource {
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

