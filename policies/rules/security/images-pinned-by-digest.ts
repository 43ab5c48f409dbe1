import { K8S_WORKLOADS, podTemplate, T } from "../../lib/resources";
import { asArray, asRecord, asString, at, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * A tag can be moved to other bytes after review; a digest cannot. A released model version is
 * only immutable if the image it runs is, and only a digest lets a rollback return to exactly
 * what ran before.
 */
const DIGEST = /@sha256:[a-f0-9]{64}$/;

function pinned(image: unknown, what: string): Finding[] {
  if (isOpaque(image)) return [];
  const ref = asString(image);
  if (ref && DIGEST.test(ref)) return [];
  return [{ message: `${what} uses image ${ref === undefined ? "(not set)" : JSON.stringify(ref)}; allowed: an image pinned by digest (…@sha256:<64 hex>)` }];
}

/** Every pod spec of a workload; a LeaderWorkerSet has a leader and a worker template. */
function podSpecs(resource: PolicyResource): unknown[] {
  if (resource.type.includes("LeaderWorkerSet")) {
    return ["leaderTemplate", "workerTemplate"].map((t) => at(resource.inputs, `spec.leaderWorkerTemplate.${t}.spec`)).filter((s) => s !== undefined);
  }
  return [at(podTemplate(resource), "spec")];
}

function workload(resource: PolicyResource): Finding[] {
  return podSpecs(resource).flatMap((spec) =>
    ["initContainers", "containers"].flatMap((kind) =>
      asArray(asRecord(spec)[kind])
        .map(asRecord)
        .flatMap((c) => pinned(c.image, `container ${asString(c.name) ?? "?"}`)),
    ),
  );
}

export default definePolicy({
  name: "images-pinned-by-digest",
  description: "Serving containers (Vertex AI model versions, Kubernetes workloads) reference images by digest, never by tag.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_K8S_43"],
  remediation:
    "Reference the image as REGISTRY/PATH@sha256:<digest> (llmops:models versions require it: image: vllm-openai@sha256:…). Get the digest from the build output or `gcloud artifacts docker images describe IMAGE:TAG --format='value(image_summary.digest)'`.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.modelVersion, ...K8S_WORKLOADS],
    check(resource) {
      return resource.type === T.modelVersion ? pinned(at(resource.inputs, "container.imageUri"), "the serving container") : workload(resource);
    },
  },
});
