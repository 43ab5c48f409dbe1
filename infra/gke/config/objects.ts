import { z } from "zod";
import { poolRules } from "./rules/pool";
import { networkRules } from "./rules/network";
import { PINNED_IMAGE, RELEASE_CHANNELS, WEEKDAYS, cidr, networkObject, poolObject } from "./shapes";

/** `llmops:gke` composed from its leaf objects, each checked by its own rules (`schema.ts` adds the cross-cluster ones). */
export const poolSchema = poolObject.superRefine(poolRules);

export const clusterObject = z.strictObject({
  /** Networks allowed to reach the public control-plane endpoint. @default any (IAM still applies) */
  authorizedNetworks: z.array(z.strictObject({ cidr, name: z.string().min(1) })).optional(),
  /** Cap on this region's accelerators. @default `llmops:gke.maxAccelerators` */
  maxAccelerators: z.number().int().min(0).optional(),
  network: networkObject.superRefine(networkRules).default({}),
  /** Accelerator pools by name (2-20 lowercase letters, digits, hyphens). @default {} */
  pools: z.record(z.string(), poolSchema).default({}),
  /** The untainted pool for system pods (DNS, metrics agents, gateways). */
  system: z
    .strictObject({
      /** @default e2-standard-4 */
      machineType: z.string().regex(/^[a-z0-9-]+$/, "expected a machine type such as e2-standard-4").optional(),
      /** @default 6 */
      maxNodes: z.number().int().min(1).optional(),
      /** @default 3 in prod (one per zone), 1 elsewhere */
      minNodes: z.number().int().min(1).optional(),
    })
    .default({}),
});
export type ClusterConfig = z.output<typeof clusterObject>;

export const gkeObject = z.strictObject({
  /** One cluster per region, keyed by region; each must be one of `llmops:regions`. */
  clusters: z.record(z.string(), clusterObject),
  /**
   * Who may reach the models' front door (infra/models/gke/README.md): a Cloud Armor policy denies
   * every request (403) except from `allowedSourceRanges`. Required when a model is served on GKE.
   */
  frontDoor: z
    .strictObject({
      /** Source IPv4 ranges allowed through Cloud Armor; everything else gets 403. Not 0.0.0.0/0 in prod. */
      allowedSourceRanges: z.array(cidr).min(1, "the front door denies everyone else: list at least one caller range; allowed: IPv4 ranges such as 203.0.113.0/24").max(100),
      /** Serve HTTPS on this host name with a Google-managed certificate, and redirect HTTP to it. @default HTTP only */
      domain: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a fully qualified host name such as models.acme.example")
        .optional(),
    })
    .optional(),
  /** When GKE may upgrade, in UTC. @default SA and SU from 02:00 for 6 hours */
  maintenance: z
    .strictObject({
      days: z.array(z.enum(WEEKDAYS)).min(1),
      durationHours: z.number().int().min(4).max(24),
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC time as HH:MM"),
    })
    .optional(),
  /** Per-region cap on the sum of every pool's maximum accelerators (GPUs plus TPU chips). */
  maxAccelerators: z.number().int().min(0),
  /**
   * The Custom Metrics Stackdriver Adapter, through which HorizontalPodAutoscalers read the model
   * servers' metrics from Managed Service for Prometheus: its image pinned by digest, in the
   * stack's images repository (a relative name) or in full. Required when a model is served on
   * GKE (infra/models/gke/README.md).
   */
  metricsAdapter: z
    .strictObject({
      image: z.string().regex(PINNED_IMAGE, "the adapter image must be pinned by digest; allowed: [REGISTRY/]PATH@sha256:<64 hex digits>"),
    })
    .optional(),
  /** GKE release channel. @default REGULAR */
  releaseChannel: z.enum(RELEASE_CHANNELS).default("REGULAR"),
});
export type GkeConfig = z.output<typeof gkeObject>;
