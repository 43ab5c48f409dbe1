import type { Plan, PlannedResource } from "../../lib/plan";
import { ENDPOINT_DEPLOYMENT, MODEL_VERSION } from "./replacements";
import type { Danger, ResourceChange } from "./types";

type Kind = Danger["kind"];
type Consequence = (r: PlannedResource, action: "replace" | "delete") => { kind: Kind; consequence: string } | undefined;

const str = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);

/**
 * Stateful and serving resources, and what replacing or deleting one does to the running system.
 * A replacement deletes the old resource (Pulumi creates the new one first unless the provider
 * says otherwise, which for a fixed name means the create fails while the old one exists).
 */
const CONSEQUENCES: Readonly<Record<string, Consequence>> = {
  "gcp:storage/bucket:Bucket": (r, action) => {
    const bucket = `gs://${str(r.inputs.name, r.name)}`;
    const fresh = action === "replace" ? "; the new bucket starts empty, and cannot be created under the same name while the old one exists" : "";
    if (r.options.retainOnDelete) return { kind: "data loss", consequence: `${bucket} leaves the stack but stays in the project with its data (retainOnDelete)${fresh}` };
    const objects = r.inputs.forceDestroy === true ? "the bucket and every object in it are deleted" : "the bucket is deleted once empty (forceDestroy is off: Pulumi fails while it holds objects)";
    return { kind: "data loss", consequence: `${bucket}: ${objects}${fresh}` };
  },
  "gcp:artifactregistry/repository:Repository": (r) => ({
    kind: "data loss",
    consequence: `repository ${str(r.inputs.repositoryId, r.name)} and every image or template in it are deleted; deployments pinned to those digests can no longer pull them`,
  }),
  "gcp:vertex/aiEndpoint:AiEndpoint": (r, action) => ({
    kind: "serving downtime",
    consequence:
      action === "replace"
        ? `endpoint ${str(r.inputs.name, r.name)} in ${str(r.inputs.location, "its region")} is deleted with its deployed models; predictions fail until the new one is deployed, and callers must switch to its new URL`
        : `endpoint ${str(r.inputs.name, r.name)} in ${str(r.inputs.location, "its region")} stops serving: predictions fail`,
  }),
  [ENDPOINT_DEPLOYMENT]: (r) => {
    const n = Array.isArray(r.inputs.deployments) ? r.inputs.deployments.length : 0;
    return { kind: "serving downtime", consequence: `every deployed model of the endpoint in ${str(r.inputs.region, "its region")} is undeployed (${n} deployment${n === 1 ? "" : "s"}); predictions fail until models are deployed again` };
  },
  [MODEL_VERSION]: (r, action) => ({
    kind: "registry",
    consequence:
      action === "replace"
        ? `Model Registry version ${str(r.inputs.version, r.name)} in ${str(r.inputs.region, "its region")} is deleted and uploaded again; an endpoint serving it redeploys`
        : `Model Registry version ${str(r.inputs.version, r.name)} in ${str(r.inputs.region, "its region")} is deleted`,
  }),
  "gcp:container/cluster:Cluster": (r) => ({
    kind: "serving downtime",
    consequence: `cluster ${str(r.inputs.name, r.name)} is deleted: every workload on it stops and its nodes and accelerators are released`,
  }),
  "gcp:container/nodePool:NodePool": (r) => {
    const config = (r.inputs.nodeConfig ?? {}) as { machineType?: string; guestAccelerators?: { type?: string; count?: number }[] };
    const gpu = config.guestAccelerators?.find((g) => g.type);
    const tpu = /^ct\d/.test(config.machineType ?? "");
    if (!gpu && !tpu) return undefined;
    const what = gpu ? `${gpu.count ?? 1} × ${gpu.type} per node` : `${config.machineType} TPU nodes`;
    return {
      kind: "capacity loss",
      consequence: `node pool ${str(r.inputs.name, r.name)} (${what}) is drained and deleted: its pods are evicted, and getting scarce accelerators back can fail (stockout, quota)`,
    };
  },
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (r) => ({
    kind: "access",
    consequence: `workload identity pool ${str(r.inputs.workloadIdentityPoolId, r.name)} is deleted: CI loses keyless access, and a deleted pool's id stays reserved while it can be undeleted (30 days)`,
  }),
};

/** A danger callout for each replace or delete of a stateful or serving resource. */
export function dangers(changes: readonly ResourceChange[], before: Plan | undefined): Danger[] {
  const old = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
  const out: Danger[] = [];
  for (const change of changes) {
    if (change.action !== "replace" && change.action !== "delete") continue;
    // A moved resource is replaced as it is in the base plan, under its old URN.
    const resource = old.get(change.movedFrom ?? change.urn);
    const found = resource && CONSEQUENCES[change.type]?.(resource, change.action);
    if (!found) continue;
    out.push({ urn: change.urn, type: change.type, name: change.name, action: change.action, ...found, protect: change.protect, retainOnDelete: change.retainOnDelete });
  }
  return out;
}

/** What protection means for the step, in words. */
export function guardNote(d: Pick<Danger, "protect" | "retainOnDelete">): string {
  if (d.protect) return "protected: `pulumi up` stops with an error at this step until `protect` is removed";
  if (d.retainOnDelete) return "not protected; retainOnDelete keeps the cloud resource when Pulumi deletes it";
  return "not protected: `pulumi up` will do it";
}
