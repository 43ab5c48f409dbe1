import type { PolicyResource } from "../types";
import { asArray, asRecord, asString } from "./values";

/**
 * IAM in every shape the Google provider offers: `*IamMember`/`*IAMMember` (one member, one
 * role), `*IamBinding`/`*IAMBinding` (members of one role) and `*IamPolicy`/`*IAMPolicy` (a JSON
 * `policyData` with bindings). The same rules apply on a project, a bucket, a repository, a
 * service account or a Vertex endpoint, so they match every IAM type by pattern, including types
 * this project does not use yet.
 */
export const IAM_TYPES = [/:[A-Za-z0-9]*I[Aa][Mm](Member|Binding|Policy)$/];

/** Legacy ACLs grant too: `READER:allUsers` on a bucket or its objects. */
export const ACL_TYPES = ["gcp:storage/bucketACL:BucketACL", "gcp:storage/defaultObjectACL:DefaultObjectACL", "gcp:storage/objectACL:ObjectACL", "gcp:storage/bucketAccessControl:BucketAccessControl", "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", "gcp:storage/objectAccessControl:ObjectAccessControl"];

export interface Grant {
  readonly role: string;
  readonly member: string;
}

/** Every (role, member) a resource grants; opaque values (preview, secrets) are left out. */
export function grantsOf(resource: PolicyResource): Grant[] {
  const { inputs } = resource;
  const role = asString(inputs.role);
  const grants: Grant[] = [];
  const member = asString(inputs.member);
  if (role && member) grants.push({ role, member });
  for (const m of asArray(inputs.members)) {
    const each = asString(m);
    if (role && each) grants.push({ role, member: each });
  }
  const policyData = asString(inputs.policyData);
  if (policyData) {
    try {
      for (const binding of asArray(asRecord(JSON.parse(policyData)).bindings)) {
        const b = asRecord(binding);
        const bindingRole = asString(b.role);
        for (const m of asArray(b.members)) {
          const each = asString(m);
          if (bindingRole && each) grants.push({ role: bindingRole, member: each });
        }
      }
    } catch {
      // Not JSON: nothing to read; the provider would refuse it anyway.
    }
  }
  return grants;
}

/** Principals that mean "anyone": on the internet, or with any Google account. */
export const PUBLIC_PRINCIPALS = ["allUsers", "allAuthenticatedUsers"] as const;

export function isPublicPrincipal(member: string): boolean {
  return (PUBLIC_PRINCIPALS as readonly string[]).includes(member);
}

/** ACL entities naming the public: `allUsers`, `allAuthenticatedUsers`, with or without a `ROLE:` prefix. */
export function publicAclEntities(resource: PolicyResource): string[] {
  const { inputs } = resource;
  const entities = [asString(inputs.entity), ...asArray(inputs.roleEntities).map(asString)].filter((e): e is string => e !== undefined);
  return entities.filter((e) => PUBLIC_PRINCIPALS.some((p) => e === p || e.endsWith(`:${p}`)));
}

/**
 * Google-created default identities: the Compute Engine default account (Editor on the project
 * unless an org policy stops it) and the App Engine default account. Workloads using them, or
 * grants to them, share one over-privileged identity across everything in the project.
 */
const DEFAULT_ACCOUNT = /^(?:serviceAccount:)?(?:\d+-compute@developer\.gserviceaccount\.com|[a-z0-9-]+@appspot\.gserviceaccount\.com)$/;

export function isDefaultServiceAccount(value: string): boolean {
  return value === "default" || DEFAULT_ACCOUNT.test(value);
}
