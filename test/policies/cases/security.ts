import { T } from "../../../policies/lib/resources";
import { UNKNOWN } from "../../../policies/lib/values";
import { bucket, cluster, deployment, DIGEST, iamMember, k8sDeployment, modelVersion, nodePool, endpoint, repository, resource, WIF_MEMBER, wifProvider } from "../fixtures";
import type { PolicyCases } from "../harness";

const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const ENDPOINT_MEMBER = "gcp:vertex/aiEndpointIamMember:AiEndpointIamMember";

export const security: Readonly<Record<string, PolicyCases>> = {
  "storage-public-access-prevention": {
    pass: [
      { name: "enforced, as the platform's buckets", resources: [bucket()] },
      { name: "unknown during preview", resources: [bucket({ publicAccessPrevention: UNKNOWN })] },
    ],
    fail: [
      { name: "inherited (the API default)", resources: [bucket({ publicAccessPrevention: "inherited" })], expect: /publicAccessPrevention is "inherited"; allowed: "enforced"/ },
      { name: "not set", resources: [bucket({ publicAccessPrevention: undefined })], expect: /is not set/ },
    ],
  },
  "storage-uniform-access": {
    pass: [{ name: "uniform bucket-level access", resources: [bucket()] }],
    fail: [{ name: "fine-grained ACLs", resources: [bucket({ uniformBucketLevelAccess: false })], expect: /uniformBucketLevelAccess is false/ }],
  },
  "iam-no-public-principals": {
    pass: [
      { name: "a service account on a bucket", resources: [iamMember({ bucket: "acme-llmops-prod-prod-models", role: "roles/storage.objectViewer" }, { type: BUCKET_MEMBER })] },
      { name: "a binding of named members", resources: [iamMember({ member: undefined, members: ["group:ml-platform@acme.example", "serviceAccount:x@p.iam.gserviceaccount.com"] }, { type: "gcp:projects/iAMBinding:IAMBinding" })] },
    ],
    fail: [
      { name: "allUsers reads a bucket", resources: [iamMember({ bucket: "acme-llmops-prod-prod-models", member: "allUsers", role: "roles/storage.objectViewer" }, { type: BUCKET_MEMBER })], expect: /grants roles\/storage.objectViewer to allUsers/ },
      { name: "allAuthenticatedUsers in a binding", resources: [iamMember({ member: undefined, members: ["allAuthenticatedUsers"], role: "roles/artifactregistry.reader" }, { type: "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding" })], expect: /allAuthenticatedUsers/ },
      { name: "allUsers in a project policy document", resources: [resource("gcp:projects/iAMPolicy:IAMPolicy", "policy", { project: "p", policyData: JSON.stringify({ bindings: [{ role: "roles/aiplatform.user", members: ["allUsers"] }] }) })], expect: /roles\/aiplatform.user to allUsers/ },
      { name: "a public-read bucket ACL", resources: [resource("gcp:storage/bucketACL:BucketACL", "acl", { bucket: "b", roleEntities: ["READER:allUsers"] })], expect: /ACL entity READER:allUsers/ },
    ],
  },
  "iam-no-basic-roles": {
    pass: [{ name: "a predefined role", resources: [iamMember({ role: "roles/aiplatform.user" })] }],
    fail: [
      { name: "editor on the project", resources: [iamMember({ role: "roles/editor" })], expect: /basic role roles\/editor/ },
      { name: "owner on a service account", resources: [iamMember({ role: "roles/owner", serviceAccountId: "projects/p/serviceAccounts/a@p.iam.gserviceaccount.com" }, { type: SA_MEMBER })], expect: /roles\/owner/ },
    ],
  },
  "iam-no-default-service-accounts": {
    pass: [
      { name: "a dedicated account", resources: [iamMember()] },
      { name: "serving as the stack's serving account", resources: [deployment()] },
    ],
    fail: [
      { name: "a grant to the Compute Engine default account", resources: [iamMember({ member: "serviceAccount:304703143201-compute@developer.gserviceaccount.com" })], expect: /default account serviceAccount:304703143201-compute@developer/ },
      { name: "a grant to the App Engine default account", resources: [iamMember({ member: "serviceAccount:acme-llmops-prod@appspot.gserviceaccount.com" })], expect: /appspot/ },
      { name: "a deployed model without a service account", resources: [deployment("us-central1", [{ id: "4863098634", percent: 100, over: { serviceAccount: undefined } }])], expect: /shared service agent/ },
    ],
  },
  "iam-no-service-account-keys": {
    pass: [{ name: "an account without keys", resources: [resource("gcp:serviceaccount/account:Account", "identity-serving", { accountId: "llmops-serving-prod", project: "acme-llmops-prod" })] }],
    fail: [
      { name: "a service account key", resources: [resource(T.serviceAccountKey, "deployer-key", { serviceAccountId: "llmops-deployer-prod@acme-llmops-prod.iam.gserviceaccount.com" })], expect: /service account key/ },
      { name: "an HMAC key", resources: [resource(T.hmacKey, "hmac", { serviceAccountEmail: "llmops-pipelines-prod@acme-llmops-prod.iam.gserviceaccount.com" })], expect: /HMAC key/ },
    ],
  },
  "gke-private-cluster": {
    pass: [{ name: "private nodes, public control plane", resources: [cluster(), nodePool()] }],
    fail: [
      { name: "no private cluster config", resources: [cluster({ privateClusterConfig: undefined })], expect: /enablePrivateNodes is not set/ },
      { name: "a pool opting out", resources: [nodePool({ networkConfig: { enablePrivateNodes: false } })], expect: /public addresses/ },
    ],
  },
  "gke-workload-identity": {
    pass: [
      { name: "workload pool and GKE metadata server", resources: [cluster(), nodePool()] },
      { name: "Autopilot (always on)", resources: [cluster({ enableAutopilot: true, workloadIdentityConfig: undefined })] },
    ],
    fail: [
      { name: "no workload pool", resources: [cluster({ workloadIdentityConfig: undefined })], expect: /workloadPool is not set/ },
      { name: "a pool exposing the node's metadata", resources: [nodePool({}, { node: { workloadMetadataConfig: { mode: "GCE_METADATA" } } })], expect: /"GCE_METADATA"; allowed: "GKE_METADATA"/ },
      { name: "a kept default pool without it", resources: [cluster({ removeDefaultNodePool: false })], expect: /the default node pool/ },
    ],
  },
  "gke-shielded-nodes": {
    pass: [{ name: "shielded, secure boot, integrity monitoring", resources: [cluster(), nodePool()] }],
    fail: [
      { name: "secure boot left at its default (off)", resources: [nodePool({}, { node: { shieldedInstanceConfig: { enableIntegrityMonitoring: true } } })], expect: /enableSecureBoot is not set; allowed: true/ },
      { name: "shielded nodes off", resources: [cluster({ enableShieldedNodes: false })], expect: /enableShieldedNodes is false/ },
      { name: "integrity monitoring off", resources: [nodePool({}, { node: { shieldedInstanceConfig: { enableIntegrityMonitoring: false, enableSecureBoot: true } } })], expect: /enableIntegrityMonitoring is false/ },
    ],
  },
  "gke-node-service-account": {
    pass: [
      { name: "the cluster's node account", resources: [cluster(), nodePool()] },
      { name: "an account created in the same preview", resources: [nodePool({}, { node: { serviceAccount: UNKNOWN } })] },
    ],
    fail: [
      { name: "no account: the Compute Engine default", resources: [nodePool({}, { node: { serviceAccount: undefined } })], expect: /Compute Engine default/ },
      { name: "the default account by name", resources: [nodePool({}, { node: { serviceAccount: "304703143201-compute@developer.gserviceaccount.com" } })], expect: /default account/ },
      { name: "a removed default pool still boots as default", resources: [cluster({ nodeConfig: { oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"] } })], expect: /the default node pool sets no nodeConfig.serviceAccount/ },
    ],
  },
  "gke-no-default-node-pool": {
    pass: [{ name: "default pool removed", resources: [cluster()] }],
    fail: [
      { name: "default pool kept", resources: [cluster({ removeDefaultNodePool: false })], expect: /removeDefaultNodePool is false/ },
      { name: "inline node pools", resources: [cluster({ nodePools: [{ name: "gpu", nodeCount: 1 }] })], expect: /inline/ },
    ],
  },
  "ci-federation-single-repository": {
    pass: [
      { name: "one repository and a branch", resources: [wifProvider(), iamMember({ member: WIF_MEMBER, role: "roles/iam.workloadIdentityUser" }, { type: SA_MEMBER })] },
      { name: "pinned by repository id", resources: [wifProvider({ attributeCondition: 'assertion.repository_id == "811502391"' })] },
      { name: "pinned by name and id", resources: [wifProvider({ attributeCondition: 'assertion.repository == "acme/llmops-gcp" && assertion.repository_id == "811502391"' })] },
      { name: "pinned through the mapped attribute", resources: [wifProvider({ attributeCondition: "attribute.repository == 'acme/llmops-gcp'" })] },
    ],
    fail: [
      { name: "no condition", resources: [wifProvider({ attributeCondition: undefined })], expect: /has no attributeCondition/ },
      { name: "the whole organisation", resources: [wifProvider({ attributeCondition: 'assertion.repository_owner == "acme"' })], expect: /does not pin exactly one repository/ },
      { name: "two repositories", resources: [wifProvider({ attributeCondition: 'assertion.repository == "acme/a" || assertion.repository == "acme/b"' })], expect: /uses \|\|/ },
      { name: "a prefix match", resources: [wifProvider({ attributeCondition: 'assertion.repository.startsWith("acme/")' })], expect: /does not pin exactly one repository/ },
      {
        name: "impersonation by every identity of the pool",
        resources: [iamMember({ member: "principalSet://iam.googleapis.com/projects/304703143201/locations/global/workloadIdentityPools/llmops-ci-prod/*", role: "roles/iam.workloadIdentityUser" }, { type: SA_MEMBER })],
        expect: /more than one repository/,
      },
    ],
  },
  "cmek-ml-data": {
    pass: [
      { name: "prod buckets and registries with the stack's key", resources: [bucket(), repository()] },
      { name: "dev keeps Google-managed keys", stack: "dev", resources: [bucket({ encryption: undefined }, { stack: "dev" })] },
    ],
    fail: [
      { name: "a prod bucket without a key", resources: [bucket({ encryption: undefined })], expect: /encryption.defaultKmsKeyName is not set/ },
      { name: "a prod registry without a key", resources: [repository({ kmsKeyName: undefined })], expect: /kmsKeyName is not set/ },
    ],
  },
  "images-pinned-by-digest": {
    pass: [
      { name: "a Vertex AI upload by digest", resources: [modelVersion()] },
      { name: "a model server Deployment by digest", resources: [k8sDeployment(`us-central1-docker.pkg.dev/acme-llmops-prod/llmops-images-prod/vllm-server@${DIGEST}`)] },
    ],
    fail: [
      { name: "a Vertex AI upload by tag", resources: [modelVersion("us-central1", {}, { container: { imageUri: "us-central1-docker.pkg.dev/acme-llmops-prod/llmops-images-prod/vllm-server:1.2.0" } })], expect: /vllm-server:1.2.0/ },
      { name: "a Deployment on latest", resources: [k8sDeployment("vllm/vllm-openai:latest")], expect: /container vllm uses image "vllm\/vllm-openai:latest"/ },
    ],
  },
  "artifact-registry-immutable-tags": {
    pass: [
      { name: "immutable Docker tags", resources: [repository()] },
      { name: "a KFP repository has no tags to pin", resources: [repository({ format: "KFP", dockerConfig: undefined })] },
    ],
    fail: [{ name: "mutable Docker tags", resources: [repository({ dockerConfig: { immutableTags: false } })], expect: /immutableTags is false/ }],
  },
  "vertex-endpoint-no-public-invoker": {
    pass: [
      { name: "IAM-only endpoints", resources: [endpoint(), iamMember({ role: "roles/aiplatform.user", member: "group:support-app@acme.example" })] },
      { name: "a public grant of an unrelated role", resources: [endpoint(), iamMember({ role: "roles/logging.viewer", member: "allUsers" })] },
    ],
    fail: [
      { name: "allUsers invokes through the project", resources: [endpoint(), iamMember({ role: "roles/aiplatform.user", member: "allUsers" })], expect: /endpoint model-support-assistant-us-central1 can be invoked by allUsers/ },
      {
        name: "allAuthenticatedUsers on the endpoint itself",
        resources: [endpoint(), iamMember({ endpoint: "projects/acme-llmops-prod/locations/us-central1/endpoints/8554094542", location: "us-central1", role: "roles/aiplatform.user", member: "allAuthenticatedUsers" }, { type: ENDPOINT_MEMBER })],
        expect: /can be invoked by allAuthenticatedUsers/,
      },
    ],
  },
};
