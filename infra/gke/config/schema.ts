import { gkeRules } from "./rules/clusters";
import { gkeObject } from "./objects";

/**
 * The value of `llmops:gke` (fields in `shapes.ts` and `objects.ts`), with the rules across its
 * clusters and pools.
 */
export const gkeSchema = gkeObject.superRefine(gkeRules);

export { type ClusterConfig, type GkeConfig, poolSchema } from "./objects";
export { type NetworkConfig, type PoolConfig, RELEASE_CHANNELS, WEEKDAYS, WORKLOADS, type Workload } from "./shapes";
export { gkeCrossKeyCheck } from "./rules/cross-key";
