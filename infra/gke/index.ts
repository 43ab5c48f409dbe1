/** GPU and TPU capacity as code: GKE clusters per serving region and their accelerator pools. */
export { GKE_APIS, GkeCapacity, type GkeCapacityArgs, type GkeRegionOutput } from "./capacity";
export { GkeCluster, type GkeClusterArgs } from "./cluster";
export { AcceleratorPool, type AcceleratorPoolArgs } from "./node-pool";
export { acceleratorSummary } from "./summary";
export type { GkeSettings, ResolvedCluster, ResolvedPool } from "./config";
