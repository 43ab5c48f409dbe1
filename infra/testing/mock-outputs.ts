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

const COMPUTE = "https://www.googleapis.com/compute/v1";

const OUTPUTS: Record<string, Outputs> = {
  // The registry names a KFP version by the SHA-256 of the uploaded file.
  "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate": (i, _n, project) => {
    const digest = createHash("sha256").update(String(i.content)).digest("hex");
    const pkg = /^ {2}name: (.+)$/m.exec(String(i.content).split("pipelineInfo:")[1] ?? "")?.[1] ?? "pipeline";
    const base = `https://${i.region}-kfp.pkg.dev/${i.project ?? project}/${i.repository}/${pkg}`;
    return { packageName: pkg, version: `sha256:${digest}`, templateUri: `${base}/sha256:${digest}`, tagUri: `${base}/${i.versionName}`, contentHash: `sha256-${digest.slice(0, 16)}` };
  },
  // Cloud Build reports the pushed image's digest. Here a stand-in derived from the build's inputs,
  // so a changed source is a changed digest in every plan; it names no image that exists.
  "pulumi-nodejs:dynamic/cloudbuild:ContainerImageBuild": (i) => {
    const digest = `sha256:${createHash("sha256").update(`${i.repositoryUri}/${i.name}\0${i.sourceHash}\0${i.dockerfile}\0${i.builder}`).digest("hex")}`;
    return { digest, imageUri: `${i.repositoryUri}/${i.name}@${digest}` };
  },
  "gcp:storage/bucket:Bucket": (i, name) => ({ url: `gs://${i.name ?? name}`, selfLink: `https://www.googleapis.com/storage/v1/b/${i.name ?? name}` }),
  // A service agent: `service-PROJECT_NUMBER@gcp-sa-<service>.iam.gserviceaccount.com`.
  "gcp:projects/serviceIdentity:ServiceIdentity": (i, _n, project) => {
    const email = `service-${projectNumber(i.project ?? project)}@gcp-sa-${String(i.service).split(".")[0]}.iam.gserviceaccount.com`;
    return { email, member: `serviceAccount:${email}` };
  },
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
  "gcp:compute/network:Network": (i, _n, project) => ({ selfLink: `${COMPUTE}/projects/${i.project ?? project}/global/networks/${i.name}` }),
  "gcp:compute/subnetwork:Subnetwork": (i, _n, project) => ({ selfLink: `${COMPUTE}/projects/${i.project ?? project}/regions/${i.region}/subnetworks/${i.name}` }),
  "gcp:compute/router:Router": (i, _n, project) => ({ selfLink: `${COMPUTE}/projects/${i.project ?? project}/regions/${i.region}/routers/${i.name}` }),
  // The Kubernetes provider is built from the endpoint and CA: without them its kubeconfig, and
  // every Kubernetes object applied through it, would be unknown in the plan.
  "gcp:container/cluster:Cluster": (i, _n, project) => {
    const digest = createHash("sha256").update(`${i.project ?? project}/${i.location}/${i.name}`).digest();
    const pem = `-----BEGIN CERTIFICATE-----\n${digest.toString("base64")}\n-----END CERTIFICATE-----\n`;
    return {
      endpoint: `34.${digest[0]}.${digest[1]}.${digest[2]}`,
      masterAuth: { clusterCaCertificate: Buffer.from(pem).toString("base64"), clientCertificateConfig: { issueClientCertificate: false } },
      selfLink: `https://container.googleapis.com/v1/projects/${i.project ?? project}/locations/${i.location}/clusters/${i.name}`,
    };
  },
  // The GKE front door's reserved address: a stable public IPv4 in Google's 34.0.0.0/8.
  "gcp:compute/globalAddress:GlobalAddress": (i, _n, project) => {
    const digest = createHash("sha256").update(`${i.project ?? project}/global/${i.name}`).digest();
    return { address: `34.${digest[0]}.${digest[1]}.${digest[2]}`, selfLink: `${COMPUTE}/projects/${i.project ?? project}/global/addresses/${i.name}` };
  },
  "gcp:compute/securityPolicy:SecurityPolicy": (i, _n, project) => ({ selfLink: `${COMPUTE}/projects/${i.project ?? project}/global/securityPolicies/${i.name}` }),
  "gcp:gkehub/membership:Membership": (i, _n, project) => ({ name: `projects/${i.project ?? project}/locations/${i.location ?? "global"}/memberships/${i.membershipId}` }),
};

/** A stable numeric id (alert policies, notification channels, dashboards) derived from the logical name. */
function numericId(seed: string): string {
  return BigInt(`0x${createHash("sha256").update(seed).digest("hex").slice(0, 15)}`).toString();
}

/**
 * Cloud Monitoring resources are named by the API (`projects/P/alertPolicies/123`); services,
 * SLOs and dashboards answer with the project number. The same name is their id and `name`.
 */
const MONITORING_NAMES: Record<string, (i: Inputs, name: string) => string> = {
  "gcp:monitoring/notificationChannel:NotificationChannel": (i, name) => `projects/${i.project}/notificationChannels/${numericId(name)}`,
  "gcp:monitoring/alertPolicy:AlertPolicy": (i, name) => `projects/${i.project}/alertPolicies/${numericId(name)}`,
  "gcp:monitoring/customService:CustomService": (i) => `projects/${projectNumber(i.project)}/services/${i.serviceId}`,
  "gcp:monitoring/slo:Slo": (i) => `projects/${projectNumber(i.project)}/services/${i.service}/serviceLevelObjectives/${i.sloId}`,
  "gcp:monitoring/dashboard:Dashboard": (i, name) => `projects/${projectNumber(i.project)}/dashboards/${numericId(name)}`,
};
for (const [type, nameOf] of Object.entries(MONITORING_NAMES)) OUTPUTS[type] = (i, name) => ({ name: nameOf(i, name) });

export function mockOutputs(type: string, name: string, inputs: Inputs, project: string): Inputs {
  return OUTPUTS[type]?.(inputs, name, project) ?? {};
}

/** Resources whose id is a full resource name rather than their short name. */
const IDS: Record<string, (inputs: Inputs, name: string) => string> = {
  ...MONITORING_NAMES,
  "gcp:vertex/aiEndpoint:AiEndpoint": (i) => `projects/${i.project}/locations/${i.location}/endpoints/${i.name}`,
  "gcp:modelarmor/template:Template": (i) => `projects/${i.project}/locations/${i.location}/templates/${i.templateId}`,
  "gcp:gkehub/membership:Membership": (i) => `projects/${i.project}/locations/${i.location ?? "global"}/memberships/${i.membershipId}`,
  // Certificate Manager ids are full names (google_certificate_manager_* "Import": projects/{{project}}/locations/{{location}}/…).
  "gcp:certificatemanager/certificate:Certificate": (i) => `projects/${i.project}/locations/${i.location ?? "global"}/certificates/${i.name}`,
  "gcp:certificatemanager/certificateMap:CertificateMap": (i) => `projects/${i.project}/locations/global/certificateMaps/${i.name}`,
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": (i) => `projects/${i.project}/locations/global/certificateMaps/${i.map}/certificateMapEntries/${i.name}`,
};

/** A deterministic physical id: the resource's own name input where it has one. */
export function mockId(type: string, name: string, inputs: Inputs): string {
  const special = IDS[type];
  if (special) return special(inputs, name);
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
