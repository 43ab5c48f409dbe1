/** GPU and TPU capacity as code: GKE clusters per serving region and their accelerator pools. */
export { gkeSchema, gkeCrossKeyCheck, type GkeConfig, type PoolConfig, WORKLOADS, type Workload } from "./config/schema";
export { GkeCluster, type GkeClusterArgs } from "./cluster";
export { AcceleratorPool, type AcceleratorPoolArgs } from "./node-pool";
export { NODE_LABELS, type NodePoolSpec, type ResolvedPool, type Scheduling, type Taint, type Toleration, resolvePool } from "./config/resolve";
export { type ResolvedCluster, resolveClusters } from "./config/resolve-cluster";
export { GKE_APIS, type GkeCapacity, type GkeRegionOutput, createGkeCapacity } from "./stack";
export { findPool, type PoolQuery } from "./config/find";
export { acceleratorSummary } from "./summary";
export * as catalog from "./config/catalog";
