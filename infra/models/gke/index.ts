/** Models served from GKE accelerator pools behind one global front door (README.md). */
export { GKE_SERVING_APIS, GkeServing, type GkeServingArgs } from "./gke-serving";
export { GkeModel, type GkeModelArgs } from "./gke-model";
export { RegionalGkeServing, type RegionalGkeServingArgs } from "./regional";
export { FrontDoor, type FrontDoorArgs, GATEWAY_NAME } from "./front-door";
export { MetricsAdapter, type MetricsAdapterArgs, adapterObjects } from "./metrics-adapter";
export { namespaceOf } from "../config/names";
