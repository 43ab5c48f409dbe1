import { VertexConnection } from "./connection";

/** What drives autoscaling of a deployed model between `minReplicas` and `maxReplicas`. */
export type AutoscalingMetric = "accelerator-duty-cycle" | "cpu-utilization";

/** Vertex AI's metric names for `AutoscalingMetric`. */
export const AUTOSCALING_METRIC_NAMES: Readonly<Record<AutoscalingMetric, string>> = {
  "accelerator-duty-cycle": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
  "cpu-utilization": "aiplatform.googleapis.com/prediction/online/cpu/utilization",
};

export interface AutoscalingTarget {
  readonly metric: AutoscalingMetric;
  /** Target utilisation in percent, 1-100. */
  readonly target: number;
}

/**
 * One deployed model of an endpoint: the desired form in `deployments`, and the live form in the
 * `deployedModels` output.
 */
export interface DeploymentSpec {
  /** 1-10 digits, not starting with 0; derive it with `deployedModelId(model, version, shapeKey)`. */
  readonly deployedModelId: string;
  /**
   * The model version to serve: `projects/P/locations/R/models/ID@N`, or by a version alias
   * (`…@v1-2-0`, as ModelVersion sets one per semver), resolved to its version id on every run.
   * Not `@default`, which moves.
   */
  readonly model: string;
  /** Set at deploy time only: Vertex AI cannot rename a deployed model, so a change is not applied. */
  readonly displayName: string;
  /** e.g. `g2-standard-12`. Immutable: a change needs a new deployed model id. */
  readonly machineType: string;
  /** Vertex AI enum name, e.g. `NVIDIA_L4`, `NVIDIA_H100_80GB`, `TPU_V5_LITEPOD`. Immutable. */
  readonly acceleratorType?: string;
  /** @default 1 when `acceleratorType` is set. Immutable. */
  readonly acceleratorCount?: number;
  /** Changed in place with `mutateDeployedModel`. */
  readonly minReplicas: number;
  /** Changed in place with `mutateDeployedModel`. */
  readonly maxReplicas: number;
  /** Changed in place with `mutateDeployedModel`. @default Vertex AI's default (60% CPU or duty cycle) */
  readonly autoscaling?: AutoscalingTarget;
  /** Identity of the serving container. Immutable. @default the Vertex AI service agent */
  readonly serviceAccount?: string;
}

export type Environment = "dev" | "prod";

/** Inputs of the EndpointDeployment dynamic resource, as its provider receives them. */
export interface EndpointDeploymentInputs extends VertexConnection {
  readonly project: string;
  readonly region: string;
  /** Full resource name (`gcp.vertex.AiEndpoint#id`) or bare id (`#name`) of an existing endpoint. */
  readonly endpoint: string;
  /** `prod` turns on the guard against undeploying everything by accident. */
  readonly environment: Environment;
  /** Every model the endpoint serves: deployed models missing here are undeployed. */
  readonly deployments: readonly DeploymentSpec[];
  /** Deployed model id to percent, summing to 100 (or empty when `deployments` is). Ids absent get 0. */
  readonly trafficSplit: Readonly<Record<string, number>>;
  /**
   * Lets a `prod` endpoint end up with no deployed model: needed for an empty `deployments`, and
   * (as last applied) for `pulumi destroy` of the resource to undeploy anything.
   * @default false
   */
  readonly allowEmpty?: boolean;
  /**
   * Capacity before traffic: before a deployed model's share rises, its `minReplicas` is raised
   * (up to its `maxReplicas`, for the duration of the move) to what that share of the serving
   * models' current replicas needs, plus this many percent; traffic then waits until that many
   * replicas are available. 0 gives the candidate exactly its share.
   * @default 0
   */
  readonly trafficHeadroom?: number;
  /**
   * The most one create, update or delete waits in total (operations, replicas becoming
   * available). Keep it below the CI job's limit, so that a long GPU deployment ends the run with
   * a report and a recorded state instead of a killed process; the next `pulumi up` continues.
   * @default 2700000 (45 minutes; deploy.yml gives each job 60)
   */
  readonly runTimeoutMs?: number;
}

/** The live state of the endpoint. */
export interface LiveEndpoint {
  readonly deployedModels: readonly DeploymentSpec[];
  readonly trafficSplit: Readonly<Record<string, number>>;
  /**
   * Deployed model id → replicas available now (`DeployedModel.status.availableReplicaCount`).
   * An id missing here has reported no status; planning then counts its `minReplicas`.
   */
  readonly availableReplicas?: Readonly<Record<string, number>>;
}

/** Outputs: the inputs as last applied, plus what the endpoint really runs. */
export interface EndpointDeploymentOutputs extends EndpointDeploymentInputs {
  /** `projects/P/locations/R/endpoints/E`; also the resource id. */
  readonly endpointName: string;
  /** The live deployed models, sorted by id. */
  readonly deployedModels: readonly DeploymentSpec[];
  /** The live split, with an explicit 0 for every deployed model without traffic. */
  readonly trafficSplit: Readonly<Record<string, number>>;
}
