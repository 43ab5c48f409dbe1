import { z } from "zod";
import { labelsOf, T } from "../../lib/resources";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Deleting a prod data bucket loses data; deleting a prod endpoint changes its id under every
 * client; deleting a cluster drops all GKE serving in a region. Pulumi's `protect` makes a
 * delete or replace fail until someone deliberately unprotects the resource. GKE clusters may
 * rely on their own `deletionProtection` (on by default), which refuses the same operations.
 */
const settings = z.strictObject({
  /** `bucket-role` label values of buckets holding only re-creatable scratch data. */
  scratchBucketRoles: z.array(z.string()),
});

export default definePolicy({
  name: "prod-deletion-protection",
  description: "In prod, data buckets, Vertex AI endpoints and GKE clusters are protected against deletion.",
  group: "reliability",
  severity: "high",
  mirrors: [],
  remediation:
    "Give the resource the protect resource option in prod (the platform protects prod data buckets and endpoints, and sets deletionProtection on prod clusters); never set forceDestroy on a data bucket. To remove one on purpose, unprotect it in a reviewed change first.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ scratchBucketRoles: ["pipeline-root"] }) },
  resource: {
    types: [T.bucket, T.endpoint, T.cluster],
    check(resource, ctx) {
      if (ctx.environment !== "prod") return [];
      if (resource.type === T.cluster) {
        return resource.options.protect || resource.inputs.deletionProtection !== false ? [] : [{ message: "deletionProtection is false and the cluster is not protected; allowed: protect, or deletionProtection true" }];
      }
      if (resource.type === T.bucket) {
        // Unlabelled buckets count as data: better a needless protect than a lost dataset.
        if (ctx.settings.scratchBucketRoles.includes(labelsOf(resource)?.["bucket-role"] ?? "")) return [];
        const findings = resource.options.protect ? [] : [{ message: "the data bucket is not protected; allowed: the protect resource option" }];
        if (resource.inputs.forceDestroy === true) findings.push({ message: "forceDestroy is true: destroying the bucket deletes every object; allowed: false" });
        return findings;
      }
      return resource.options.protect ? [] : [{ message: "the endpoint is not protected: deleting it changes the endpoint id clients call; allowed: the protect resource option" }];
    },
  },
});
