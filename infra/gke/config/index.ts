/** GKE capacity's configuration, Pulumi-free: schema, rules, catalogs and resolution. */
export { gkeSchema, gkeCrossKeyCheck, type GkeConfig, type PoolConfig, type ClusterConfig, type NetworkConfig, WORKLOADS, type Workload } from "./schema";
export { NODE_LABELS, type NodePoolSpec, type ResolvedPool, type Scheduling, type Taint, type Toleration, resolvePool } from "./resolve";
export { type ResolvedCluster, resolveClusters, nodeAccountId } from "./resolve-cluster";
export { type GkeSettings, resolveGke } from "./settings";
export { findPool, type PoolQuery } from "./find";
export { networkKey } from "./rules/network";
export * as catalog from "./catalog";
