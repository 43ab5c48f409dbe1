import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What Google Cloud would return for each resource type: enough realistic output properties
 * that every `apply` in the program runs offline. Under preview mocks an output the mock does
 * not return stays unknown, and whatever depends on it would be missing from the plan.
 */
type Inputs = Record<string, any>;
type Outputs = (inputs: Inputs, name: string, project: string) => Inputs;

/** A stable 12-digit project number derived from the project id. */
export function projectNumber(project: string): string {
  const hex = createHash("sha256").update(project).digest("hex").slice(0, 12);
  return String(100_000_000_000 + (parseInt(hex, 16) % 900_000_000_000));
}

const OUTPUTS: Record<string, Outputs> = {
  "gcp:storage/bucket:Bucket": (i, name) => ({ url: `gs://${i.name ?? name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${i.name ?? name}` }),
  "gcp:serviceaccount/account:Account": (i, _n, project) => {
    const email = `${i.accountId}@${i.project ?? project}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}`, name: `projects/${i.project ?? project}/serviceAccounts/${email}`, uniqueId: projectNumber(email) + "000000000" };
  },
  "gcp:artifactregistry/repository:Repository": (i, _n, project) => ({
    name: `projects/${i.project ?? project}/locations/${i.location}/repositories/${i.repositoryId}`,
    registryUri: `${i.location}-${String(i.format).toLowerCase()}.pkg.dev/${i.project ?? project}/${i.repositoryId}`,
  }),
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (i, _n, project) => ({
    name: `projects/${projectNumber(i.project ?? project)}/locations/global/workloadIdentityPools/${i.workloadIdentityPoolId}`,
    state: "ACTIVE",
  }),
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (i, _n, project) => ({
    name: `projects/${projectNumber(i.project ?? project)}/locations/global/workloadIdentityPools/${i.workloadIdentityPoolId}/providers/${i.workloadIdentityPoolProviderId}`,
    state: "ACTIVE",
  }),
};

export function mockOutputs(type: string, name: string, inputs: Inputs, project: string): Inputs {
  return OUTPUTS[type]?.(inputs, name, project) ?? {};
}

/** A deterministic physical id: the resource's own name input where it has one. */
export function mockId(type: string, name: string, inputs: Inputs): string {
  const own = inputs.name ?? inputs.accountId ?? inputs.repositoryId ?? inputs.workloadIdentityPoolId;
  return typeof own === "string" ? own : `${name}-${createHash("sha256").update(type).digest("hex").slice(0, 8)}`;
}

/** Data sources (invokes) the program calls, answered as Google Cloud would. */
export function mockCall(args: pulumi.runtime.MockCallArgs, project: string): Record<string, any> {
  switch (args.token) {
    case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
      return { emailAddress: `service-${projectNumber(args.inputs.project ?? project)}@gs-project-accounts.iam.gserviceaccount.com` };
    case "gcp:organizations/getProject:getProject":
      return { projectId: args.inputs.projectId ?? project, number: projectNumber(args.inputs.projectId ?? project) };
    default:
      return args.inputs;
  }
}

/** The mocks every offline render uses: realistic outputs, deterministic ids. */
export function planMocks(project: string): pulumi.runtime.Mocks {
  return {
    newResource: (args) => {
      const state = { ...args.inputs, ...mockOutputs(args.type, args.name, args.inputs, project) };
      return { id: args.custom === false ? undefined : mockId(args.type, args.name, args.inputs), state };
    },
    call: (args) => mockCall(args, project),
  };
}
