import type { ResourceTypeRule } from "./types";

/**
 * Every custom resource type the program creates outside Kubernetes: the API it needs enabled
 * and the REST methods its provider calls per operation (method ids as keyed in the IAM dataset's
 * API map; `iam/derived.json` maps them to permissions, `method-overrides.ts` where the dataset
 * is wrong).
 *
 * What the lists hold: the calls the provider makes for the inputs this program sets, including
 * the read-back GET after create/update and the long-running-operation GET. Calls made only for
 * inputs the program never sets are left out and named in a comment, so a new input is a
 * reminder to revisit the entry. Update lists are the union over the fields that can change in
 * place; an empty list means the provider makes no call (every input replaces, or the update is
 * state-only).
 *
 * Provider sources are pinned to the snapshots read when writing this table: magic-modules at
 * d5778440 and terraform-provider-google at e03b7622 (both 2026-08-21). @pulumi/gcp bridges that
 * provider; its generated resources come from magic-modules' YAML (`mmv1/products/…`), the others
 * are handwritten (`google/services/…`).
 */

const MM = "https://github.com/GoogleCloudPlatform/magic-modules/blob/d57784406a440397f4edea072ae4f606a57e172d/mmv1";
const TF = "https://github.com/hashicorp/terraform-provider-google/blob/e03b7622a26cf4e878f90bdccaca6aa3d03a7999/google";
/** Read-modify-write of a policy, then re-reads until the change shows (iamPolicyReadModifyWrite). */
const TF_IAM_MEMBER = [`${TF}/tpgiamresource/resource_iam_member.go`, `${TF}/tpgiamresource/iam.go`];
/** How `{{region}}` in a URL is resolved: the resource's `region`, else the provider's region or zone. */
const TF_REGION = `${TF}/tpgresource/utils.go`;

const COMPUTE_REST = "https://cloud.google.com/compute/docs/reference/rest/v1";
const GKE_REST = "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters";
const VERTEX_REST = "https://cloud.google.com/vertex-ai/docs/reference/rest/v1";
const MONITORING_REST = "https://cloud.google.com/monitoring/api/ref_v3/rest/v3";

/**
 * An `*IAMMember` resource: read-modify-write of the parent's whole policy on create and delete
 * (plus the re-reads), no update (role, member and condition all force replacement).
 */
function iamMember(api: string, getIamPolicy: string, setIamPolicy: string, sources: readonly string[]): ResourceTypeRule {
  const readModifyWrite = [getIamPolicy, setIamPolicy];
  return { api, methods: { create: readModifyWrite, update: [], delete: readModifyWrite }, sources: [...sources, ...TF_IAM_MEMBER] };
}

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeRule>> = {
  // ---- Cloud Storage ----------------------------------------------------------------------------

  "gcp:storage/bucket:Bucket": {
    api: "storage.googleapis.com",
    methods: {
      // The GET after insert is retried until the bucket is visible; lockRetentionPolicy only with
      // retentionPolicy.isLocked, which the program never sets.
      create: ["storage.buckets.insert", "storage.buckets.get"],
      update: ["storage.buckets.patch", "storage.buckets.get"],
      // Delete first lists objects (to refuse without forceDestroy) but carries on when the list
      // is denied, so only the delete itself is required.
      delete: ["storage.buckets.delete"],
    },
    // The dataset maps get/patch to getIamPolicy/setIamPolicy as well: the JSON API table lists
    // them as conditional (ACL projections, ACL changes). Kept: conservative, and every role that
    // manages buckets holds them.
    sources: [`${TF}/services/storage/resource_storage_bucket.go`, "https://cloud.google.com/storage/docs/json_api/v1/buckets/insert", "https://cloud.google.com/storage/docs/access-control/iam-json"],
  },

  "gcp:storage/bucketIAMMember:BucketIAMMember": iamMember("storage.googleapis.com", "storage.buckets.getIamPolicy", "storage.buckets.setIamPolicy", [
    `${TF}/services/storage/iam_storage_bucket.go`,
    "https://cloud.google.com/storage/docs/json_api/v1/buckets/setIamPolicy",
    "https://cloud.google.com/storage/docs/access-control/iam-json",
  ]),

  // ---- Artifact Registry ------------------------------------------------------------------------

  "gcp:artifactregistry/repository:Repository": {
    api: "artifactregistry.googleapis.com",
    methods: {
      // Async on create and delete only (async.actions in the YAML); update is a plain PATCH.
      create: ["artifactregistry.projects.locations.repositories.create", "artifactregistry.projects.locations.operations.get", "artifactregistry.projects.locations.repositories.get"],
      update: ["artifactregistry.projects.locations.repositories.patch", "artifactregistry.projects.locations.repositories.get"],
      delete: ["artifactregistry.projects.locations.repositories.delete", "artifactregistry.projects.locations.operations.get"],
    },
    // Not providerRegion: the encoder falls back to the provider's region only when `location`
    // is unset (encoders/location_from_region), and the program always sets it.
    sources: [
      `${MM}/products/artifactregistry/Repository.yaml`,
      `${MM}/templates/terraform/encoders/location_from_region.go.tmpl`,
      "https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories/create",
      "https://cloud.google.com/iam/docs/roles-permissions/artifactregistry",
    ],
  },

  "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": iamMember(
    "artifactregistry.googleapis.com",
    "artifactregistry.projects.locations.repositories.getIamPolicy",
    "artifactregistry.projects.locations.repositories.setIamPolicy",
    [`${TF}/services/artifactregistry/iam_artifact_registry_repository.go`, "https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories/setIamPolicy"],
  ),

  /**
   * Publishes a compiled pipeline the way the KFP SDK does: a multipart POST to
   * `https://REGION-kfp.pkg.dev/PROJECT/REPO` (infra/pipelines/providers/kfp-registry.ts). That
   * host is Artifact Registry's KFP endpoint, not the discovery API; its REST twin is
   * `kfpArtifacts.upload`, whose permission (artifactregistry.kfpartifacts.create) is used here.
   */
  "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate": {
    api: "artifactregistry.googleapis.com",
    methods: {
      create: ["artifactregistry.projects.locations.repositories.kfpArtifacts.upload"],
      // An update republishes only when the bytes or tags changed, with the same upload.
      update: ["artifactregistry.projects.locations.repositories.kfpArtifacts.upload"],
      // Delete forgets the template; it deletes the version (packages.versions.delete, force)
      // only with deleteVersionOnDestroy, which the program never sets.
      delete: [],
    },
    extraPermissions: {
      // assumed: every upload tags the version (content hash, versionName, extraTags); moving an
      // existing tag such as versionName to new bytes is a tag update. The KFP-in-Artifact-Registry
      // guide asks for the Writer role, which holds both.
      create: ["artifactregistry.tags.create", "artifactregistry.tags.update"],
      update: ["artifactregistry.tags.create", "artifactregistry.tags.update"],
    },
    sources: [
      "https://cloud.google.com/vertex-ai/docs/pipelines/create-pipeline-template",
      "https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories.kfpArtifacts/upload",
      "https://cloud.google.com/iam/docs/roles-permissions/artifactregistry",
    ],
  },
  /**
   * ContainerImageBuild (infra/pipelines/images.ts): a pipeline image built by Cloud Build in the
   * stack's project. Its create and update (changed sources) first list the builds tagged with
   * the build's tag (a build an earlier attempt started is followed, not started again), upload the
   * context to `gs://<pipeline root>/build-sources/` (media upload with `ifGenerationMatch=0`, and
   * an object GET when it exists already), start a regional build that runs as the builder account,
   * and follow its operation (or the found build) until it ends. Delete keeps the pushed image.
   */
  "pulumi-nodejs:dynamic/cloudbuild:ContainerImageBuild": {
    api: "cloudbuild.googleapis.com",
    methods: {
      create: ["cloudbuild.projects.locations.builds.list", "cloudbuild.projects.locations.builds.create", "cloudbuild.projects.locations.operations.get", "cloudbuild.projects.locations.builds.get"],
      update: ["cloudbuild.projects.locations.builds.list", "cloudbuild.projects.locations.builds.create", "cloudbuild.projects.locations.operations.get", "cloudbuild.projects.locations.builds.get"],
      delete: [],
    },
    extraPermissions: {
      // Not the dataset's storage.objects.insert (create and delete): the upload never overwrites
      // (ifGenerationMatch=0), so it needs create only, and get to compare an existing object's MD5.
      create: ["storage.objects.create", "storage.objects.get"],
      update: ["storage.objects.create", "storage.objects.get"],
    },
    // The build runs as `serviceAccount` (the builder): builds.create checks the caller's actAs on
    // it, and the build reads the source object and pushes to the repository with its grants.
    runsAs: ["serviceAccount"],
    startsWorkload: true,
    sources: [
      "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds/create",
      "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds/list",
      "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.operations/get",
      "https://cloud.google.com/build/docs/api/reference/rest/v1/projects.builds#Build",
      "https://cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts",
      "https://cloud.google.com/storage/docs/json_api/v1/objects/insert",
      "https://cloud.google.com/storage/docs/json_api/v1/objects/get",
      "https://cloud.google.com/iam/docs/roles-permissions/cloudbuild",
    ],
  },

  // ---- Projects, service accounts, federation, KMS ----------------------------------------------

  "gcp:projects/service:Service": {
    api: "serviceusage.googleapis.com",
    methods: {
      // Lists enabled services first (an already-enabled API is adopted), enables (single
      // services.enable or services.batchEnable, both checking serviceusage.services.enable),
      // waits on the operation, then reads back: projects.get plus the list.
      create: ["serviceusage.services.list", "serviceusage.services.enable", "serviceusage.operations.get", "cloudresourcemanager.projects.get"],
      // Every updatable field is state-only.
      update: [],
      // infra/platform/apis.ts sets disableOnDestroy: false, so delete only forgets; with true it
      // would call services.disable and wait on its operation.
      delete: [],
    },
    sources: [
      `${TF}/services/resourcemanager/resource_google_project_service.go`,
      `${TF}/services/resourcemanager/resource_google_project.go`,
      "https://cloud.google.com/service-usage/docs/reference/rest/v1/services/enable",
      "https://cloud.google.com/service-usage/docs/access-control",
    ],
  },

  // A service agent made to exist (and its email read) before it is granted anything.
  "gcp:projects/serviceIdentity:ServiceIdentity": {
    api: "serviceusage.googleapis.com",
    methods: {
      // generateServiceIdentity returns an operation whose response holds the email; no update,
      // and delete is a no-op (the provider only forgets it).
      create: ["serviceusage.services.generateServiceIdentity", "serviceusage.operations.get"],
      update: [],
      delete: [],
    },
    sources: [
      "https://cloud.google.com/service-usage/docs/reference/rest/v1beta1/services/generateServiceIdentity",
      "https://www.pulumi.com/registry/packages/gcp/api-docs/projects/serviceidentity/",
    ],
  },

  "gcp:projects/iAMMember:IAMMember": iamMember("cloudresourcemanager.googleapis.com", "cloudresourcemanager.projects.getIamPolicy", "cloudresourcemanager.projects.setIamPolicy", [
    `${TF}/services/resourcemanager/iam_project.go`,
    "https://cloud.google.com/resource-manager/reference/rest/v1/projects/setIamPolicy",
  ]),

  "gcp:serviceaccount/account:Account": {
    api: "iam.googleapis.com",
    methods: {
      // Create polls GET until the new account is readable.
      create: ["iam.projects.serviceAccounts.create", "iam.projects.serviceAccounts.get"],
      // enable/disable are called only when `disabled` changes, which the program never sets.
      update: ["iam.projects.serviceAccounts.get", "iam.projects.serviceAccounts.patch"],
      delete: ["iam.projects.serviceAccounts.delete"],
    },
    sources: [`${TF}/services/resourcemanager/resource_google_service_account.go`, "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create", "https://cloud.google.com/iam/docs/roles-permissions/iam"],
  },

  "gcp:serviceaccount/iAMMember:IAMMember": iamMember("iam.googleapis.com", "iam.projects.serviceAccounts.getIamPolicy", "iam.projects.serviceAccounts.setIamPolicy", [
    `${TF}/services/resourcemanager/iam_service_account.go`,
    "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/setIamPolicy",
  ]),

  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
    api: "iam.googleapis.com",
    methods: {
      // setAttestationRules only with attestationRules, which the program never sets.
      create: ["iam.projects.locations.workloadIdentityPools.create", "iam.projects.locations.workloadIdentityPools.operations.get", "iam.projects.locations.workloadIdentityPools.get"],
      update: ["iam.projects.locations.workloadIdentityPools.patch", "iam.projects.locations.workloadIdentityPools.operations.get", "iam.projects.locations.workloadIdentityPools.get"],
      delete: ["iam.projects.locations.workloadIdentityPools.delete", "iam.projects.locations.workloadIdentityPools.operations.get"],
    },
    sources: [
      `${MM}/products/iambeta/WorkloadIdentityPool.yaml`,
      `${MM}/templates/terraform/post_create/iam_workload_identity_pool.go.tmpl`,
      "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools/create",
      "https://cloud.google.com/iam/docs/roles-permissions/iam",
    ],
  },

  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": {
    api: "iam.googleapis.com",
    methods: {
      create: [
        "iam.projects.locations.workloadIdentityPools.providers.create",
        "iam.projects.locations.workloadIdentityPools.providers.operations.get",
        "iam.projects.locations.workloadIdentityPools.providers.get",
      ],
      update: [
        "iam.projects.locations.workloadIdentityPools.providers.patch",
        "iam.projects.locations.workloadIdentityPools.providers.operations.get",
        "iam.projects.locations.workloadIdentityPools.providers.get",
      ],
      delete: ["iam.projects.locations.workloadIdentityPools.providers.delete", "iam.projects.locations.workloadIdentityPools.providers.operations.get"],
    },
    sources: [
      `${MM}/products/iambeta/WorkloadIdentityPoolProvider.yaml`,
      "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/create",
      "https://cloud.google.com/iam/docs/roles-permissions/iam",
    ],
  },

  "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": iamMember(
    "cloudkms.googleapis.com",
    "cloudkms.projects.locations.keyRings.cryptoKeys.getIamPolicy",
    "cloudkms.projects.locations.keyRings.cryptoKeys.setIamPolicy",
    [`${TF}/services/kms/iam_kms_crypto_key.go`, "https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys/setIamPolicy"],
  ),

  // ---- Compute Engine networking ----------------------------------------------------------------

  "gcp:compute/network:Network": {
    api: "compute.googleapis.com",
    methods: {
      // The default-route cleanup (routes.list/delete) runs only with deleteDefaultRoutesOnCreate,
      // which the program never sets.
      create: ["compute.networks.insert", "compute.globalOperations.get", "compute.networks.get"],
      update: ["compute.networks.patch", "compute.globalOperations.get", "compute.networks.get"],
      delete: ["compute.networks.delete", "compute.globalOperations.get"],
    },
    sources: [
      `${MM}/products/compute/Network.yaml`,
      `${MM}/templates/terraform/post_create/compute_network_delete_default_route.tmpl`,
      `${COMPUTE_REST}/networks/insert`,
      "https://cloud.google.com/compute/docs/access/iam-permissions",
    ],
  },

  "gcp:compute/subnetwork:Subnetwork": {
    api: "compute.googleapis.com",
    methods: {
      create: ["compute.subnetworks.insert", "compute.regionOperations.get", "compute.subnetworks.get"],
      // Fingerprinted fields are patched after a GET for the fingerprint; the CIDR range and
      // Private Google Access have their own verbs.
      update: [
        "compute.subnetworks.get",
        "compute.subnetworks.patch",
        "compute.subnetworks.expandIpCidrRange",
        "compute.subnetworks.setPrivateIpGoogleAccess",
        "compute.regionOperations.get",
      ],
      delete: ["compute.subnetworks.delete", "compute.regionOperations.get"],
    },
    // Not providerRegion: `{{region}}` resolves from the resource's own `region` first, which the
    // program sets (GetRegion in tpgresource/utils.go).
    sources: [`${MM}/products/compute/Subnetwork.yaml`, TF_REGION, `${COMPUTE_REST}/subnetworks/insert`, "https://cloud.google.com/compute/docs/access/iam-permissions"],
  },

  "gcp:compute/router:Router": {
    api: "compute.googleapis.com",
    methods: {
      create: ["compute.routers.insert", "compute.regionOperations.get", "compute.routers.get"],
      update: ["compute.routers.patch", "compute.regionOperations.get", "compute.routers.get"],
      delete: ["compute.routers.delete", "compute.regionOperations.get"],
    },
    // Not providerRegion: the program sets `region`, which `{{region}}` uses first.
    sources: [`${MM}/products/compute/Router.yaml`, TF_REGION, `${COMPUTE_REST}/routers/insert`],
  },

  /** A NAT is an element of its router's `nats` list: every operation reads the router and patches it. */
  "gcp:compute/routerNat:RouterNat": {
    api: "compute.googleapis.com",
    methods: {
      create: ["compute.routers.get", "compute.routers.patch", "compute.regionOperations.get"],
      update: ["compute.routers.get", "compute.routers.patch", "compute.regionOperations.get"],
      delete: ["compute.routers.get", "compute.routers.patch", "compute.regionOperations.get"],
    },
    sources: [`${MM}/products/compute/RouterNat.yaml`, TF_REGION, `${COMPUTE_REST}/routers/patch`],
  },

  "gcp:compute/globalAddress:GlobalAddress": {
    api: "compute.googleapis.com",
    methods: {
      // Labels cannot be set on insert: post_create reads the address and calls setLabels.
      create: ["compute.globalAddresses.insert", "compute.globalOperations.get", "compute.globalAddresses.get", "compute.globalAddresses.setLabels"],
      // Labels are the only field that changes in place.
      update: ["compute.globalAddresses.setLabels", "compute.globalOperations.get", "compute.globalAddresses.get"],
      delete: ["compute.globalAddresses.delete", "compute.globalOperations.get"],
    },
    // The dataset adds createInternal/deleteInternal, checked only for INTERNAL addresses (the
    // program reserves EXTERNAL ones); every role holding create holds createInternal too.
    sources: [`${MM}/products/compute/GlobalAddress.yaml`, `${MM}/templates/terraform/post_create/labels.tmpl`, `${COMPUTE_REST}/globalAddresses/insert`],
  },

  "gcp:compute/securityPolicy:SecurityPolicy": {
    api: "compute.googleapis.com",
    methods: {
      // setLabels follows the insert only when labels are set; the program sets none.
      create: ["compute.securityPolicies.insert", "compute.globalOperations.get", "compute.securityPolicies.get"],
      // Policy fields are patched; rules are added, patched and removed one by one.
      update: [
        "compute.securityPolicies.patch",
        "compute.securityPolicies.addRule",
        "compute.securityPolicies.patchRule",
        "compute.securityPolicies.removeRule",
        "compute.globalOperations.get",
        "compute.securityPolicies.get",
      ],
      delete: ["compute.securityPolicies.delete", "compute.globalOperations.get"],
    },
    sources: [`${TF}/services/compute/resource_compute_security_policy.go`, `${COMPUTE_REST}/securityPolicies/insert`, "https://cloud.google.com/compute/docs/access/iam-permissions"],
  },

  // ---- GKE and fleets ---------------------------------------------------------------------------

  "gcp:container/cluster:Cluster": {
    api: "container.googleapis.com",
    methods: {
      // After the create operation: GET until RUNNING, and with removeDefaultNodePool (set by the
      // program) a node pool delete and its operation.
      create: [
        "container.projects.locations.clusters.create",
        "container.projects.locations.operations.get",
        "container.projects.locations.clusters.get",
        "container.projects.locations.clusters.nodePools.delete",
      ],
      // Most settings go through clusters.update; maintenance policy and resource labels have
      // their own verbs (setNetworkPolicy and setLegacyAbac too, for inputs the program never
      // sets). All are checked as container.clusters.update.
      update: [
        "container.projects.locations.clusters.update",
        "container.projects.locations.clusters.setMaintenancePolicy",
        "container.projects.locations.clusters.setResourceLabels",
        "container.projects.locations.operations.get",
        "container.projects.locations.clusters.get",
      ],
      // Refused by the provider while deletionProtection is true (the program's default).
      delete: ["container.projects.locations.clusters.get", "container.projects.locations.clusters.delete", "container.projects.locations.operations.get"],
    },
    // The default node pool's nodes run as nodeConfig.serviceAccount: clusters.create checks
    // iam.serviceAccounts.actAs on it.
    runsAs: ["nodeConfig.serviceAccount"],
    // Nodes start as the account: image pulls, logs and metrics need its grants.
    startsWorkload: true,
    sources: [
      `${TF}/services/container/resource_container_cluster.go`,
      `${GKE_REST}/create`,
      "https://cloud.google.com/kubernetes-engine/docs/reference/api-permissions",
      "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa",
    ],
  },

  "gcp:container/nodePool:NodePool": {
    api: "container.googleapis.com",
    methods: {
      // A GET first (an existing pool is an error), the create, its operation, then the read
      // through the provider's node-pool cache, which lists the cluster's pools.
      create: [
        "container.projects.locations.clusters.nodePools.get",
        "container.projects.locations.clusters.nodePools.create",
        "container.projects.locations.operations.get",
        "container.projects.locations.clusters.nodePools.list",
      ],
      // Autoscaling changes go through clusters.update; size, management and node settings
      // through the node pool's own verbs.
      update: [
        "container.projects.locations.clusters.update",
        "container.projects.locations.clusters.nodePools.update",
        "container.projects.locations.clusters.nodePools.setSize",
        "container.projects.locations.clusters.nodePools.setManagement",
        "container.projects.locations.operations.get",
        "container.projects.locations.clusters.nodePools.list",
      ],
      delete: ["container.projects.locations.clusters.nodePools.delete", "container.projects.locations.operations.get"],
    },
    runsAs: ["nodeConfig.serviceAccount"],
    // Nodes start as the account: image pulls, logs and metrics need its grants.
    startsWorkload: true,
    sources: [
      `${TF}/services/container/resource_container_node_pool.go`,
      `${GKE_REST}.nodePools/create`,
      "https://cloud.google.com/kubernetes-engine/docs/reference/api-permissions",
    ],
  },

  "gcp:gkehub/membership:Membership": {
    api: "gkehub.googleapis.com",
    methods: {
      create: ["gkehub.projects.locations.memberships.create", "gkehub.projects.locations.operations.get", "gkehub.projects.locations.memberships.get"],
      update: ["gkehub.projects.locations.memberships.patch", "gkehub.projects.locations.operations.get", "gkehub.projects.locations.memberships.get"],
      delete: ["gkehub.projects.locations.memberships.delete", "gkehub.projects.locations.operations.get"],
    },
    sources: [`${MM}/products/gkehub/Membership.yaml`, "https://cloud.google.com/anthos/fleet-management/docs/reference/rest/v1/projects.locations.memberships/create", "https://cloud.google.com/iam/docs/roles-permissions/gkehub"],
  },

  /**
   * A fleet feature. Enabling one also needs the feature's own API enabled in the fleet host
   * project (multiclusteringress.googleapis.com, multiclusterservicediscovery.googleapis.com),
   * which this shape cannot name: the API here is the Hub API the provider calls.
   */
  "gcp:gkehub/feature:Feature": {
    api: "gkehub.googleapis.com",
    methods: {
      // pre_create GETs the feature and turns the create into an update when it already exists.
      create: ["gkehub.projects.locations.features.get", "gkehub.projects.locations.features.create", "gkehub.projects.locations.operations.get"],
      update: ["gkehub.projects.locations.features.patch", "gkehub.projects.locations.operations.get", "gkehub.projects.locations.features.get"],
      delete: ["gkehub.projects.locations.features.delete", "gkehub.projects.locations.operations.get"],
    },
    sources: [
      `${MM}/products/gkehub2/Feature.yaml`,
      `${MM}/templates/terraform/pre_create/gkehub_existing_feature.go.tmpl`,
      "https://cloud.google.com/anthos/fleet-management/docs/reference/rest/v1/projects.locations.features/create",
      "https://cloud.google.com/kubernetes-engine/docs/how-to/enabling-multi-cluster-gateways",
    ],
  },

  // ---- Certificate Manager ----------------------------------------------------------------------

  "gcp:certificatemanager/certificate:Certificate": {
    api: "certificatemanager.googleapis.com",
    methods: {
      create: ["certificatemanager.projects.locations.certificates.create", "certificatemanager.projects.locations.operations.get", "certificatemanager.projects.locations.certificates.get"],
      update: ["certificatemanager.projects.locations.certificates.patch", "certificatemanager.projects.locations.operations.get", "certificatemanager.projects.locations.certificates.get"],
      delete: ["certificatemanager.projects.locations.certificates.delete", "certificatemanager.projects.locations.operations.get"],
    },
    // Not providerRegion: `location` defaults to "global" in the resource itself.
    sources: [`${MM}/products/certificatemanager/Certificate.yaml`, "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.certificates/create", "https://cloud.google.com/certificate-manager/docs/access-control"],
  },

  "gcp:certificatemanager/certificateMap:CertificateMap": {
    api: "certificatemanager.googleapis.com",
    methods: {
      create: ["certificatemanager.projects.locations.certificateMaps.create", "certificatemanager.projects.locations.operations.get", "certificatemanager.projects.locations.certificateMaps.get"],
      update: ["certificatemanager.projects.locations.certificateMaps.patch", "certificatemanager.projects.locations.operations.get", "certificatemanager.projects.locations.certificateMaps.get"],
      delete: ["certificatemanager.projects.locations.certificateMaps.delete", "certificatemanager.projects.locations.operations.get"],
    },
    sources: [`${MM}/products/certificatemanager/CertificateMap.yaml`, "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.certificateMaps/create", "https://cloud.google.com/certificate-manager/docs/access-control"],
  },

  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": {
    api: "certificatemanager.googleapis.com",
    methods: {
      create: [
        "certificatemanager.projects.locations.certificateMaps.certificateMapEntries.create",
        "certificatemanager.projects.locations.operations.get",
        "certificatemanager.projects.locations.certificateMaps.certificateMapEntries.get",
      ],
      update: [
        "certificatemanager.projects.locations.certificateMaps.certificateMapEntries.patch",
        "certificatemanager.projects.locations.operations.get",
        "certificatemanager.projects.locations.certificateMaps.certificateMapEntries.get",
      ],
      delete: ["certificatemanager.projects.locations.certificateMaps.certificateMapEntries.delete", "certificatemanager.projects.locations.operations.get"],
    },
    sources: [
      `${MM}/products/certificatemanager/CertificateMapEntry.yaml`,
      "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.certificateMaps.certificateMapEntries/create",
      "https://cloud.google.com/certificate-manager/docs/access-control",
    ],
  },

  // ---- Logging and Monitoring -------------------------------------------------------------------

  "gcp:logging/metric:Metric": {
    api: "logging.googleapis.com",
    methods: {
      create: ["logging.projects.metrics.create", "logging.projects.metrics.get"],
      // No update_verb in the YAML: the generated update is a PUT (metrics.update).
      update: ["logging.projects.metrics.update", "logging.projects.metrics.get"],
      delete: ["logging.projects.metrics.delete"],
    },
    sources: [`${MM}/products/logging/Metric.yaml`, "https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.metrics/create", "https://cloud.google.com/logging/docs/access-control"],
  },

  "gcp:monitoring/alertPolicy:AlertPolicy": {
    api: "monitoring.googleapis.com",
    methods: {
      create: ["monitoring.projects.alertPolicies.create", "monitoring.projects.alertPolicies.get"],
      update: ["monitoring.projects.alertPolicies.patch", "monitoring.projects.alertPolicies.get"],
      delete: ["monitoring.projects.alertPolicies.delete"],
    },
    sources: [`${MM}/products/monitoring/AlertPolicy.yaml`, `${MONITORING_REST}/projects.alertPolicies/create`, "https://cloud.google.com/monitoring/access-control"],
  },

  /** google_monitoring_custom_service (magic-modules calls it Service; GenericService is another resource). */
  "gcp:monitoring/customService:CustomService": {
    api: "monitoring.googleapis.com",
    methods: {
      create: ["monitoring.services.create", "monitoring.services.get"],
      update: ["monitoring.services.patch", "monitoring.services.get"],
      delete: ["monitoring.services.delete"],
    },
    sources: [`${MM}/products/monitoring/Service.yaml`, `${MONITORING_REST}/services/create`, "https://cloud.google.com/monitoring/access-control"],
  },

  "gcp:monitoring/slo:Slo": {
    api: "monitoring.googleapis.com",
    methods: {
      create: ["monitoring.services.serviceLevelObjectives.create", "monitoring.services.serviceLevelObjectives.get"],
      update: ["monitoring.services.serviceLevelObjectives.patch", "monitoring.services.serviceLevelObjectives.get"],
      delete: ["monitoring.services.serviceLevelObjectives.delete"],
    },
    sources: [`${MM}/products/monitoring/Slo.yaml`, `${MONITORING_REST}/services.serviceLevelObjectives/create`, "https://cloud.google.com/monitoring/access-control"],
  },

  "gcp:monitoring/dashboard:Dashboard": {
    api: "monitoring.googleapis.com",
    methods: {
      create: ["monitoring.projects.dashboards.create", "monitoring.projects.dashboards.get"],
      update: ["monitoring.projects.dashboards.patch", "monitoring.projects.dashboards.get"],
      delete: ["monitoring.projects.dashboards.delete"],
    },
    sources: [`${TF}/services/monitoring/resource_monitoring_dashboard.go`, "https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards/create", "https://cloud.google.com/monitoring/access-control"],
  },

  "gcp:monitoring/notificationChannel:NotificationChannel": {
    api: "monitoring.googleapis.com",
    methods: {
      create: ["monitoring.projects.notificationChannels.create", "monitoring.projects.notificationChannels.get"],
      update: ["monitoring.projects.notificationChannels.patch", "monitoring.projects.notificationChannels.get"],
      delete: ["monitoring.projects.notificationChannels.delete"],
    },
    sources: [`${MM}/products/monitoring/NotificationChannel.yaml`, `${MONITORING_REST}/projects.notificationChannels/create`, "https://cloud.google.com/monitoring/access-control"],
  },

  // ---- Model Armor ------------------------------------------------------------------------------

  "gcp:modelarmor/template:Template": {
    api: "modelarmor.googleapis.com",
    methods: {
      create: ["modelarmor.projects.locations.templates.create", "modelarmor.projects.locations.templates.get"],
      update: ["modelarmor.projects.locations.templates.patch", "modelarmor.projects.locations.templates.get"],
      delete: ["modelarmor.projects.locations.templates.delete"],
    },
    // Not providerRegion: the regional endpoint modelarmor.{{location}}.rep.googleapis.com comes
    // from the resource's required `location`.
    sources: [
      `${MM}/products/modelarmor/Template.yaml`,
      `${MM}/products/modelarmor/product.yaml`,
      "https://cloud.google.com/security-command-center/docs/reference/model-armor/rest/v1/projects.locations.templates/create",
      "https://cloud.google.com/iam/docs/roles-permissions/modelarmor",
    ],
  },

  // ---- Vertex AI --------------------------------------------------------------------------------

  "gcp:vertex/aiEndpoint:AiEndpoint": {
    api: "aiplatform.googleapis.com",
    methods: {
      // Async on create and delete; the operation is named under the endpoint.
      create: ["aiplatform.projects.locations.endpoints.create", "aiplatform.projects.locations.endpoints.operations.get", "aiplatform.projects.locations.endpoints.get"],
      update: ["aiplatform.projects.locations.endpoints.patch", "aiplatform.projects.locations.endpoints.get"],
      delete: ["aiplatform.projects.locations.endpoints.delete", "aiplatform.projects.locations.endpoints.operations.get"],
    },
    // Not providerRegion as the program writes it: the host is {{region}}-aiplatform.googleapis.com
    // and `{{region}}` reads the resource's `region` first, which the program sets. Without it the
    // provider's region would decide (and `location` would not).
    sources: [`${MM}/products/vertexai/Endpoint.yaml`, `${MM}/products/vertexai/product.yaml`, TF_REGION, `${VERTEX_REST}/projects.locations.endpoints/create`],
  },

  /**
   * Colab Enterprise schedule running a Vertex AI pipeline: the colab product's base URL is
   * `https://{{location}}-aiplatform.googleapis.com/v1/`, so it calls the Vertex AI API.
   */
  "gcp:colab/schedule:Schedule": {
    api: "aiplatform.googleapis.com",
    methods: {
      // post_create pauses only when desiredState is PAUSED; the program schedules ACTIVE ones.
      create: ["aiplatform.projects.locations.schedules.create", "aiplatform.projects.locations.schedules.get"],
      // post_update pauses or resumes only when the live state differs from desiredState.
      update: ["aiplatform.projects.locations.schedules.patch", "aiplatform.projects.locations.schedules.get"],
      delete: ["aiplatform.projects.locations.schedules.delete", "aiplatform.projects.locations.schedules.operations.get"],
    },
    // assumed: Vertex AI checks actAs on the pipeline job's service account when the schedule is
    // created, as it does when a pipeline job is created with one.
    runsAs: ["createPipelineJobRequest.pipelineJob.serviceAccount"],
    // The resource has `location` and no `region`, yet its encoder fills the request's parent from
    // tpgresource.GetRegion, which falls back to the provider's region or zone and otherwise fails
    // with "Cannot determine region" (on create and update, even when `parent` is given).
    providerRegion: true,
    sources: [
      `${MM}/products/colab/Schedule.yaml`,
      `${MM}/products/colab/product.yaml`,
      `${MM}/templates/terraform/encoders/colab_schedule.go.tmpl`,
      `${TF}/services/colab/resource_colab_schedule.go`,
      TF_REGION,
      `${VERTEX_REST}/projects.locations.schedules/create`,
      "https://cloud.google.com/vertex-ai/docs/pipelines/configure-project#service-account",
    ],
  },

  /**
   * One model version in the Vertex AI Model Registry (infra/models/providers/model-version.ts,
   * model-version-api.ts). The client talks REST to `${region}-aiplatform.googleapis.com` from its
   * own `region` input: not providerRegion.
   */
  "pulumi-nodejs:dynamic/vertex:ModelVersion": {
    api: "aiplatform.googleapis.com",
    methods: {
      // Looks the version up by alias (and the registry entry by name), uploads, polls the
      // upload. Adopting a version a timed-out run already uploaded also patches and merges
      // aliases; that recovery path is left out.
      create: ["aiplatform.projects.locations.models.get", "aiplatform.projects.locations.models.upload", "aiplatform.projects.locations.models.operations.get"],
      update: ["aiplatform.projects.locations.models.patch", "aiplatform.projects.locations.models.mergeVersionAliases"],
      // Reads the version, moves `default` to the newest other version (list + merge) or deletes
      // the whole entry with the last version, otherwise deletes the version; each delete polls.
      delete: [
        "aiplatform.projects.locations.models.get",
        "aiplatform.projects.locations.models.listVersions",
        "aiplatform.projects.locations.models.mergeVersionAliases",
        "aiplatform.projects.locations.models.deleteVersion",
        "aiplatform.projects.locations.models.delete",
        "aiplatform.projects.locations.models.operations.get",
      ],
    },
    sources: [
      `${VERTEX_REST}/projects.locations.models/upload`,
      `${VERTEX_REST}/projects.locations.models/mergeVersionAliases`,
      `${VERTEX_REST}/projects.locations.models/deleteVersion`,
      "https://cloud.google.com/vertex-ai/docs/general/iam-permissions",
    ],
  },

  /**
   * The deployed models and traffic split of one endpoint (infra/models/providers/
   * endpoint-deployment.ts, endpoint-reconcile.ts, endpoint-apply.ts, model-pins.ts). Create and
   * update run the same reconcile: pin aliased models (models.get), wait for the endpoint's
   * running operations (operations.list, operations.get), read the endpoint, then deploy / mutate
   * / set traffic (PATCH with update_mask traffic_split) / undeploy as planned, polling each
   * operation, and read the endpoint again. Region from its own input: not providerRegion.
   */
  "pulumi-nodejs:dynamic/vertex:EndpointDeployment": {
    api: "aiplatform.googleapis.com",
    methods: {
      create: [
        "aiplatform.projects.locations.models.get",
        "aiplatform.projects.locations.endpoints.get",
        "aiplatform.projects.locations.endpoints.deployModel",
        "aiplatform.projects.locations.endpoints.mutateDeployedModel",
        "aiplatform.projects.locations.endpoints.patch",
        "aiplatform.projects.locations.endpoints.undeployModel",
        "aiplatform.projects.locations.endpoints.operations.get",
        "aiplatform.projects.locations.endpoints.operations.list",
      ],
      update: [
        "aiplatform.projects.locations.models.get",
        "aiplatform.projects.locations.endpoints.get",
        "aiplatform.projects.locations.endpoints.deployModel",
        "aiplatform.projects.locations.endpoints.mutateDeployedModel",
        "aiplatform.projects.locations.endpoints.patch",
        "aiplatform.projects.locations.endpoints.undeployModel",
        "aiplatform.projects.locations.endpoints.operations.get",
        "aiplatform.projects.locations.endpoints.operations.list",
      ],
      // Drained: each deployed model undeployed, moving its traffic in the same call (a prod
      // endpoint refuses unless the last inputs had allowEmpty); PATCH only if Vertex AI refuses
      // to undeploy a last model that serves.
      delete: [
        "aiplatform.projects.locations.endpoints.get",
        "aiplatform.projects.locations.endpoints.patch",
        "aiplatform.projects.locations.endpoints.undeployModel",
        "aiplatform.projects.locations.endpoints.operations.get",
        "aiplatform.projects.locations.endpoints.operations.list",
      ],
    },
    // A deployed model with a service account runs as it: deployModel checks actAs on it.
    runsAs: ["deployments[].serviceAccount"],
    // Deploying starts replicas that pull the image and load the weights as the account.
    startsWorkload: true,
    sources: [
      `${VERTEX_REST}/projects.locations.endpoints/deployModel`,
      `${VERTEX_REST}/projects.locations.endpoints/mutateDeployedModel`,
      "https://cloud.google.com/vertex-ai/docs/general/custom-service-account",
    ],
  },
};
