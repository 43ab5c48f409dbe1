import type { ResolvedPool } from "./resolve";
import type { ResolvedCluster } from "./resolve-cluster";
import type { Workload } from "./schema";

/** What a model server needs from a pool. */
export interface PoolQuery {
  readonly region: string;
  /** A GPU type (`nvidia-l4`), a TPU version (`v5e`) or its GKE name (`tpu-v5-lite-podslice`). */
  readonly accelerator: string;
  /** Accelerators one replica needs on one node. @default 1 */
  readonly count?: number;
  /** @default serving */
  readonly workload?: Workload;
  /** A TPU slice topology the replica is built for, e.g. `2x4`. @default any */
  readonly topology?: string;
}

/**
 * The pool a model server should be scheduled on in a region: same accelerator and workload, at
 * least `count` accelerators per node, the smallest such node first (then by name), so a 1-GPU
 * model does not take an 8-GPU machine. Its `scheduling` gives node selectors and tolerations.
 */
export function findPool(clusters: readonly ResolvedCluster[], query: PoolQuery): ResolvedPool | undefined {
  const count = query.count ?? 1;
  const workload = query.workload ?? "serving";
  const matches = (p: ResolvedPool) =>
    p.gpu ? p.gpu.type === query.accelerator : p.tpu !== undefined && (p.tpu.version === query.accelerator || p.accelerator === query.accelerator) && (query.topology === undefined || p.tpu.topology === query.topology);
  return clusters
    .find((c) => c.region === query.region)
    ?.pools.filter((p) => p.workload === workload && matches(p) && p.scheduling.perNode >= count)
    .sort((a, b) => a.scheduling.perNode - b.scheduling.perNode || a.name.localeCompare(b.name))[0];
}
