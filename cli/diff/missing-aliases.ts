import { type AliasTarget, engineAliases } from "../../infra/testing/aliases";
import { type Plan, type PlannedResource, SECRET, UNKNOWN } from "../../lib/plan";
import { sameValue } from "./properties";
import { ENDPOINT_DEPLOYMENT, KFP_TEMPLATE, MODEL_VERSION, valuesAt } from "./replacements";
import type { Danger, MissingAlias, ResourceChange } from "./types";

/**
 * The inputs that name a resource in its API, per type: two resources with equal values are one
 * cloud object (or cannot both exist). Types left out are matched on identical inputs only.
 * From the same provider documentation as the replacement table (cli/diff/replacements.ts):
 * each of these is part of the resource's id.
 */
const PHYSICAL_NAME: Readonly<Record<string, readonly string[]>> = {
  "gcp:storage/bucket:Bucket": ["name"],
  "gcp:artifactregistry/repository:Repository": ["project", "location", "repositoryId"],
  "gcp:serviceaccount/account:Account": ["project", "accountId"],
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": ["project", "workloadIdentityPoolId"],
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": ["project", "workloadIdentityPoolId", "workloadIdentityPoolProviderId"],
  "gcp:projects/service:Service": ["project", "service"],
  "gcp:projects/serviceIdentity:ServiceIdentity": ["project", "service"],
  "gcp:projects/iAMMember:IAMMember": ["project", "role", "member", "condition"],
  "gcp:serviceaccount/iAMMember:IAMMember": ["serviceAccountId", "role", "member", "condition"],
  "gcp:storage/bucketIAMMember:BucketIAMMember": ["bucket", "role", "member", "condition"],
  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": ["project", "location", "repository", "role", "member", "condition"],
  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": ["cryptoKeyId", "role", "member", "condition"],
  "gcp:compute/network:Network": ["project", "name"],
  "gcp:compute/subnetwork:Subnetwork": ["project", "region", "name"],
  "gcp:compute/router:Router": ["project", "region", "name"],
  "gcp:compute/routerNat:RouterNat": ["project", "region", "router", "name"],
  "gcp:compute/globalAddress:GlobalAddress": ["project", "name"],
  "gcp:compute/securityPolicy:SecurityPolicy": ["project", "name"],
  "gcp:container/cluster:Cluster": ["project", "location", "name"],
  "gcp:container/nodePool:NodePool": ["project", "location", "cluster", "name"],
  "gcp:gkehub/feature:Feature": ["project", "location", "name"],
  "gcp:gkehub/membership:Membership": ["project", "location", "membershipId"],
  "gcp:modelarmor/template:Template": ["project", "location", "templateId"],
  "gcp:monitoring/customService:CustomService": ["project", "serviceId"],
  "gcp:monitoring/slo:Slo": ["project", "service", "sloId"],
  "gcp:logging/metric:Metric": ["project", "name"],
  "gcp:certificatemanager/certificate:Certificate": ["project", "location", "name"],
  "gcp:certificatemanager/certificateMap:CertificateMap": ["project", "name"],
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": ["project", "map", "name"],
  "gcp:vertex/aiEndpoint:AiEndpoint": ["project", "location", "name"],
  [MODEL_VERSION]: ["project", "region", "modelId", "version"],
  [ENDPOINT_DEPLOYMENT]: ["endpoint"],
  [KFP_TEMPLATE]: ["project", "region", "repository", "versionName"],
};

/** A Kubernetes object is named by kind, namespace and name within its cluster (its provider). */
const KUBERNETES_NAME = ["kind", "metadata.namespace", "metadata.name"];

/** Unknown and secret values cannot show that two resources are one. */
const hasUnknown = (value: unknown): boolean => value === UNKNOWN || value === SECRET || (value !== null && typeof value === "object" && Object.values(value).some(hasUnknown));
const lastSegment = (urn: string | null | undefined) => (urn ? urn.slice(urn.lastIndexOf("::") + 2) : "");

const isKubernetes = (type: string) => type.startsWith("kubernetes:") && !type.startsWith("kubernetes:pulumi");
const namePaths = (type: string) => PHYSICAL_NAME[type] ?? (isKubernetes(type) ? KUBERNETES_NAME : undefined);

/** `same name "llmops-dev"` when the two name one cloud object; undefined when they do not, or it is unknown. */
function sameName(a: PlannedResource, b: PlannedResource, paths: readonly string[]): string | undefined {
  const kubernetes = isKubernetes(a.type);
  // Two clusters hold objects of the same name: the provider (one per cluster) is part of it.
  if (kubernetes && lastSegment(a.options.provider) !== lastSegment(b.options.provider)) return undefined;
  const shown: string[] = [];
  for (const path of paths) {
    const [x, y] = [valuesAt(a.inputs, path), valuesAt(b.inputs, path)];
    if (!sameValue(x, y) || hasUnknown(x)) return undefined;
    if (x !== undefined) shown.push(`${path} ${JSON.stringify(x)}`);
  }
  return shown.length ? `same ${shown.join(", ")}` : undefined;
}

/**
 * Identical inputs, apart from the dynamic providers' serialized code (which a move does not
 * change, but a dependency bump in the same change would): for types whose name the API assigns
 * (alert policies, dashboards) or that the table does not know, the only sign that a delete and a
 * create are one resource.
 */
function sameInputs(a: PlannedResource, b: PlannedResource): string | undefined {
  const strip = ({ __provider: _code, ...rest }: Readonly<Record<string, unknown>>) => rest;
  const [x, y] = [strip(a.inputs), strip(b.inputs)];
  return Object.keys(x).length > 0 && !hasUnknown(x) && sameValue(x, y) ? "identical inputs" : undefined;
}

const byUrn = (plan: Plan | undefined) => new Map((plan?.resources ?? []).map((r) => [r.urn, r]));

/** The alias option for a resource that was `old` and is now `now` (same type): what differs of name and parent. */
function aliasOption(old: PlannedResource, now: PlannedResource): string {
  const fields = [
    ...(old.name !== now.name ? [`name: ${JSON.stringify(old.name)}`] : []),
    ...(old.parent !== now.parent ? [`parent: ${old.parent === null ? "pulumi.rootStackResource" : JSON.stringify(old.parent)}`] : []),
  ];
  return `aliases: [{ ${fields.join(", ")} }]`;
}

function specOf(old: PlannedResource, now: PlannedResource): AliasTarget["aliases"][number] {
  return { name: old.name === now.name ? "" : old.name, type: "", stack: "", project: "", parentUrn: old.parent ?? "", noParent: old.parent === null };
}

/**
 * Where the alias belongs: the highest component above the created resource that is itself new
 * and stands for a component of the same type that is gone (a moved or renamed component), if an
 * alias there carries down to the deleted URN; otherwise the created resource itself. Whether it
 * carries down is checked with the engine's own inheritance rule (`engineAliases`).
 */
function fixFor(deleted: PlannedResource, created: PlannedResource, old: ReadonlyMap<string, PlannedResource>, now: ReadonlyMap<string, PlannedResource>, stack: string, project: string): Pick<MissingAlias, "fixOn" | "fix"> {
  const own = { fixOn: created.urn, fix: aliasOption(deleted, created) };
  let top: [PlannedResource, PlannedResource] | undefined;
  const chain: PlannedResource[] = [];
  for (let [a, b] = [deleted, created]; a.parent && b.parent; ) {
    const [pa, pb] = [old.get(a.parent), now.get(b.parent)];
    if (!pa || !pb || now.has(pa.urn) || old.has(pb.urn) || pa.type !== pb.type) break;
    top = [pa, pb];
    chain.unshift(pb);
    [a, b] = [pa, pb];
  }
  if (!top) return own;
  const [gone, moved] = top;
  const computed = new Map<string, readonly string[]>();
  const aliasesOf = (urn: string) => computed.get(urn) ?? [];
  for (const node of [...chain, created]) {
    const aliases = node === moved ? [specOf(gone, moved)] : [];
    computed.set(node.urn, engineAliases({ urn: node.urn, type: node.type, name: node.name, parent: node.parent ?? "", aliases }, aliasesOf, stack, project));
  }
  return aliasesOf(created.urn).includes(deleted.urn) ? { fixOn: moved.urn, fix: aliasOption(gone, moved) } : own;
}

/**
 * A danger for each delete whose resource is created again under another URN of the same type:
 * a re-parented or renamed resource without an alias. Pulumi creates before it deletes, so the
 * create fails on a name the old resource still holds (or, for API-named resources, a duplicate
 * is made and the original destroyed). Each delete pairs with at most one create, one of the
 * same logical name first.
 */
export function missingAliases(changes: readonly ResourceChange[], before: Plan | undefined, after: Plan | undefined, stack: string): Danger[] {
  const old = byUrn(before);
  const now = byUrn(after);
  const project = after?.project ?? before?.project ?? "";
  const creates = changes.filter((c) => c.action === "create").map((c) => now.get(c.urn)!);
  const claimed = new Set<string>();
  const out: Danger[] = [];
  for (const change of changes) {
    const deleted = change.action === "delete" ? old.get(change.urn) : undefined;
    if (!deleted) continue;
    const candidates = creates
      .filter((c) => c.type === deleted.type && !claimed.has(c.urn))
      // Where the API has names, they decide; identical inputs are the evidence only where it has none.
      .map((c) => {
        const paths = namePaths(c.type);
        return { created: c, evidence: paths ? sameName(deleted, c, paths) : sameInputs(deleted, c) };
      })
      .filter((m): m is { created: PlannedResource; evidence: string } => m.evidence !== undefined);
    const match = candidates.find((m) => m.created.name === deleted.name) ?? candidates[0];
    if (!match) continue;
    claimed.add(match.created.urn);
    const { fixOn, fix } = fixFor(deleted, match.created, old, now, stack, project);
    const where = fixOn === match.created.urn ? `to the options of ${match.created.name}` : `to the options of component ${lastSegment(fixOn)} (${now.get(fixOn)!.type}), which moved; its children inherit it`;
    const outcome = match.evidence.startsWith("same ") ? "the create fails on the name the old one still holds, and the delete destroys it" : "a second one is created and the original destroyed";
    out.push({
      urn: deleted.urn,
      type: deleted.type,
      name: deleted.name,
      action: "delete",
      kind: "missing alias",
      consequence: `${deleted.urn} would be deleted and ${match.created.urn} created (${match.evidence}): ${outcome}; add \`${fix}\` ${where}`,
      protect: change.protect,
      retainOnDelete: change.retainOnDelete,
      missingAlias: { created: match.created.urn, evidence: match.evidence, fixOn, fix },
    });
  }
  return out;
}
