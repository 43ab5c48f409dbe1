/** Models served from GKE accelerator pools behind one global front door (README.md). */
export { GKE_SERVING_APIS, GkeServing, type GkeServingArgs, type GkeServedModel, createGkeServing } from "./gke-serving";
export { DEFAULT_QUEUE, GkeModel, type GkeModelArgs } from "./gke-model";
export { RegionalGkeServing, type RegionalGkeServingArgs } from "./regional";
export { FrontDoor, type FrontDoorArgs, GATEWAY_NAME } from "./front-door";
export { MetricsAdapter, type MetricsAdapterArgs, adapterObjects } from "./metrics-adapter";
export { GKE_ACCELERATOR_NAMES, VERTEX_TO_GKE, choosePool, gkeAccelerator, regionPools, type Placement, type PlacementQuery } from "../config/placement";
export { checkGkeServing } from "../config/gke-rules";
