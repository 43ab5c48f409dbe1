import { z } from "zod";
import { CAPACITY_OPTIONS, GPU_TYPES, TPU_VERSIONS } from "./catalog";

/**
 * The value of `llmops:gke`: per serving region a GKE cluster and its accelerator pools. Pools
 * say what they need (an accelerator, how many, how to obtain it); machine types, node counts,
 * taints and the rest are derived (`resolve.ts`). Fields are alphabetical (a test checks it).
 * Rules across fields live in `rules/`; they report every problem at once, at its key path.
 *
 * This file holds the leaf objects the rules are typed on; `objects.ts` composes them with their
 * rules, and `schema.ts` adds the rules across clusters (so no rule imports what imports it).
 */

export const WORKLOADS = ["serving", "batch"] as const;
export type Workload = (typeof WORKLOADS)[number];

export const RELEASE_CHANNELS = ["RAPID", "REGULAR", "STABLE"] as const;
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const RESOURCE_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
// As for model images (infra/models/config/schema.ts): relative to the stack's images repository, or in full.
export { PINNED_IMAGE } from "../../common/config";

export const cidr = z.string().regex(CIDR, "expected an IPv4 range in CIDR notation, such as 10.0.0.0/20");
const resourceName = z.string().regex(RESOURCE_NAME, "expected a Google Cloud resource name: lowercase letters, digits and hyphens, starting with a letter");

export const poolObject = z.strictObject({
  /** GPU type, e.g. `nvidia-l4`. Excludes `tpu`. */
  accelerator: z.enum(GPU_TYPES).optional(),
  /** Node bounds (TPU pools: slices). `min` 0 lets the pool scale to zero. */
  autoscaling: z.strictObject({
    max: z.number().int().min(1).max(1000),
    min: z.number().int().min(0),
  }),
  /**
   * Ways to obtain the accelerators. Several render one node pool each and a ComputeClass that
   * tries them in the order reservation, on-demand, flex-start, spot. @default ["on-demand"]
   */
  capacity: z.array(z.enum(CAPACITY_OPTIONS)).min(1).default(["on-demand"]),
  /** Place nodes close together (lower latency between nodes). Needs a single zone. @default false */
  compactPlacement: z.boolean().optional(),
  /** GPUs per node. @default the machine type's count, else the smallest shape's */
  count: z.number().int().min(1).optional(),
  /** Settings of the flex-start (Dynamic Workload Scheduler) option. */
  flexStart: z
    .strictObject({
      /** Nodes are reclaimed after this long (at most 7 days). @default 168 */
      maxRunHours: z.number().int().min(1).max(168).optional(),
      /** Queued provisioning: nodes only for ProvisioningRequests (Kueue), all at once. @default false */
      queued: z.boolean().optional(),
    })
    .optional(),
  /** GKE-managed NVIDIA driver: `default` for the GKE version, or `latest`. @default latest */
  gpuDriver: z.enum(["default", "latest"]).optional(),
  /** Machine type. @default derived from accelerator and count (catalog/gpus.ts) */
  machineType: z.string().regex(/^[a-z0-9-]+$/, "expected a machine type such as g2-standard-8").optional(),
  /** The reservation the `reservation` option consumes; its node pool runs in the reservation's zone. */
  reservation: z
    .strictObject({
      name: resourceName,
      /** Project owning a shared reservation. @default the stack's project */
      project: z.string().regex(PROJECT_ID, "expected a Google Cloud project id").optional(),
      /** Reservations are zonal: the zone it was made in. */
      zone: z.string(),
    })
    .optional(),
  /** GPU sharing for small models: time-sharing or MPS, and/or multi-instance GPU partitions. */
  sharing: z
    .strictObject({
      /** Containers per physical GPU (2-48). Required with `strategy`. */
      maxClientsPerGpu: z.number().int().min(2).max(48).optional(),
      /** Multi-instance GPU partition size, e.g. `1g.10gb` (A100, H100 only). */
      partition: z.string().optional(),
      strategy: z.enum(["time-sharing", "mps"]).optional(),
    })
    .optional(),
  /** A TPU slice instead of GPUs. Excludes `accelerator`. */
  tpu: z
    .strictObject({
      /** Chips per node where the topology offers a choice (v5e/v6e 2x4: 8 or 4). @default the single-host shape */
      chipsPerNode: z.number().int().min(1).optional(),
      /** Slice shape: `AxB` for v5e and v6e, `AxBxC` for v5p. */
      topology: z.string().regex(/^\d+x\d+(x\d+)?$/, "expected a topology such as 2x4 (v5e, v6e) or 2x2x2 (v5p)"),
      version: z.enum(TPU_VERSIONS),
    })
    .optional(),
  /** What runs on the pool; set as the `workload` node label. @default serving */
  workload: z.enum(WORKLOADS).default("serving"),
  /** Zones of the region. @default every zone offering the accelerator (TPU: the first) */
  zones: z.array(z.string()).min(1).optional(),
});
export type PoolConfig = z.output<typeof poolObject>;

export const networkObject = z.strictObject({
  /** Control plane range of the private cluster (a /28). @default 172.16.0.0/28 */
  controlPlane: cidr.optional(),
  /** Use an existing VPC instead of creating one. Excludes `nodes`, `pods`, `services`. */
  existing: z
    .strictObject({
      network: resourceName,
      /** Secondary range of the subnetwork for pods. */
      podsRange: resourceName,
      /** Host project of a shared VPC. @default the stack's project */
      project: z.string().regex(PROJECT_ID, "expected a Google Cloud project id").optional(),
      /** Secondary range of the subnetwork for services. */
      servicesRange: resourceName,
      subnetwork: resourceName,
    })
    .optional(),
  /** Primary range of the created subnetwork. @default 10.0.0.0/20 */
  nodes: cidr.optional(),
  /** Secondary range for pods. @default 10.4.0.0/14 */
  pods: cidr.optional(),
  /** Secondary range for services. @default 10.8.0.0/20 */
  services: cidr.optional(),
});
export type NetworkConfig = z.output<typeof networkObject>;

