/** Models served from Vertex AI endpoints or the stack's GKE pools, with declarative rollouts. */
export { Models, type ModelsArgs, type ServedModel } from "./models";
export { VertexModel, type VertexModelArgs, type RegionalServing } from "./vertex-model";
export { ModelSafety, type ModelSafetyArgs, filterConfig } from "./safety";
export { GKE_SERVING_APIS, GkeServing, type GkeServingArgs, GkeModel, type GkeModelArgs, RegionalGkeServing, type RegionalGkeServingArgs, FrontDoor, type FrontDoorArgs, GATEWAY_NAME, MetricsAdapter, type MetricsAdapterArgs, adapterObjects } from "./gke";
export { type ModelsSettings, type ResolvedModel, type RolloutRecord, namespaceOf, templateId } from "./config";
