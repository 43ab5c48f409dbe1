/**
 * REST methods the tables name whose permissions the IAM snapshot (iann0036/iam-dataset, see
 * `iam/README.md`) does not give correctly. The generator (`iam/generate.ts`) records these
 * permissions instead of the snapshot's, and refuses to run when an entry no longer describes the
 * snapshot (a method it now maps, or maps differently), so a fixed dataset never leaves a stale
 * override behind. Any other method missing from the snapshot is treated as a typo.
 *
 * Kept per method rather than as `extraPermissions` on each rule: several rules call the same
 * method (the Vertex AI operation GETs, `models.get`), and a wrong mapping cannot be subtracted by
 * adding permissions on top of it.
 */

export interface MethodOverride {
  /**
   * How the snapshot gets the method wrong: `absent` (no such method in its API map), `unmapped`
   * (present, mapped to no permission), `wrong` (mapped to permissions that are not what the
   * service checks).
   */
  readonly dataset: "absent" | "unmapped" | "wrong";
  /** What the method checks. Empty only where no grantable permission is documented (`why` says so). */
  readonly permissions: readonly string[];
  readonly why: string;
  readonly sources: readonly string[];
}

const VERTEX_IAM = "https://cloud.google.com/vertex-ai/docs/general/iam-permissions";
const VERTEX_REST = "https://cloud.google.com/vertex-ai/docs/reference/rest/v1";
const WIF_REST = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools";

/** `providers.create` → the REST reference page of `projects.locations.workloadIdentityPools.providers.create`. */
const wifPage = (method: string): string => {
  const dot = method.lastIndexOf(".");
  return dot < 0 ? `${WIF_REST}/${method}` : `${WIF_REST}.${method.slice(0, dot)}/${method.slice(dot + 1)}`;
};
const WIF_ROLES = "https://cloud.google.com/iam/docs/roles-permissions/iam";

// Workload Identity Federation permissions carry the service name as a prefix with a slash
// (`iam.googleapis.com/workloadIdentityPools.create`); the dataset's API map spells them with a
// dash, which no role grants, and maps providers.patch to the workforce pool permissions.
const wif = (method: string, permission: string, dataset: MethodOverride["dataset"] = "wrong"): [string, MethodOverride] => [
  `iam.projects.locations.workloadIdentityPools.${method}`,
  {
    dataset,
    permissions: [`iam.googleapis.com/${permission}`],
    why:
      dataset === "absent"
        ? "not in the dataset's API map; the permission is the one the IAM roles reference lists for this operation"
        : "the dataset spells the permission `iam.googleapis.com-…` (or names the workforce pool permission); roles grant `iam.googleapis.com/…`",
    sources: [wifPage(method), WIF_ROLES],
  },
];

// Logging's v2 API map in the dataset has no `projects.metrics` methods; the permissions are
// `logging.logMetrics.*` per the Logging access-control page.
const logMetric = (method: string, permission: string): [string, MethodOverride] => [
  `logging.projects.metrics.${method}`,
  {
    dataset: "absent",
    permissions: [`logging.logMetrics.${permission}`],
    why: "not in the dataset's API map",
    sources: [`https://cloud.google.com/logging/docs/reference/v2/rest/v2/projects.metrics/${method}`, "https://cloud.google.com/logging/docs/access-control#permissions_and_roles"],
  },
];

// The dataset has Model Armor's roles but none of its methods.
const modelArmor = (method: string, permission: string): [string, MethodOverride] => [
  `modelarmor.projects.locations.templates.${method}`,
  {
    dataset: "absent",
    permissions: [`modelarmor.templates.${permission}`],
    why: "Model Armor's methods are not in the dataset (its roles are)",
    sources: [`https://cloud.google.com/security-command-center/docs/reference/model-armor/rest/v1/projects.locations.templates/${method}`, "https://cloud.google.com/iam/docs/roles-permissions/modelarmor"],
  },
];

export const METHOD_OVERRIDES: Readonly<Record<string, MethodOverride>> = Object.fromEntries([
  wif("create", "workloadIdentityPools.create"),
  wif("get", "workloadIdentityPools.get"),
  wif("patch", "workloadIdentityPools.update", "absent"),
  wif("delete", "workloadIdentityPools.delete"),
  wif("providers.create", "workloadIdentityPoolProviders.create"),
  wif("providers.get", "workloadIdentityPoolProviders.get"),
  wif("providers.patch", "workloadIdentityPoolProviders.update"),
  wif("providers.delete", "workloadIdentityPoolProviders.delete"),
  [
    "iam.projects.locations.workloadIdentityPools.operations.get",
    {
      dataset: "absent",
      permissions: [],
      // assumed: the REST reference documents no permission for polling these operations.
      why: "not in the dataset's API map; no permission is documented for polling a pool's operation (assumed none beyond the call that started it)",
      sources: [wifPage("operations.get")],
    },
  ],
  [
    "iam.projects.locations.workloadIdentityPools.providers.operations.get",
    {
      dataset: "absent",
      permissions: [],
      // assumed, as for the pool's operations.
      why: "not in the dataset's API map; no permission is documented for polling a provider's operation (assumed none beyond the call that started it)",
      sources: [wifPage("providers.operations.get")],
    },
  ],

  logMetric("create", "create"),
  logMetric("get", "get"),
  logMetric("update", "update"),
  logMetric("delete", "delete"),

  modelArmor("create", "create"),
  modelArmor("get", "get"),
  modelArmor("patch", "update"),
  modelArmor("delete", "delete"),

  [
    "serviceusage.services.generateServiceIdentity",
    {
      dataset: "unmapped",
      // assumed: the REST reference names no permission; Service Usage's access-control page
      // grants service management to holders of serviceusage.services.use (Service Usage Consumer).
      permissions: ["serviceusage.services.use"],
      why: "mapped to nothing; assumed to check serviceusage.services.use, like the other calls a consumer makes on its services",
      sources: ["https://cloud.google.com/service-usage/docs/reference/rest/v1beta1/services/generateServiceIdentity", "https://cloud.google.com/service-usage/docs/access-control"],
    },
  ],
  [
    "artifactregistry.projects.locations.operations.get",
    {
      dataset: "unmapped",
      permissions: [],
      // assumed: Artifact Registry lists no operations permission in its roles.
      why: "mapped to nothing; Artifact Registry's roles hold no operations permission, so none is assumed beyond the call that started the operation",
      sources: ["https://cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.operations/get", "https://cloud.google.com/iam/docs/roles-permissions/artifactregistry"],
    },
  ],

  [
    "aiplatform.projects.locations.endpoints.mutateDeployedModel",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.endpoints.deploy"],
      why: "mapped to nothing; the REST reference requires aiplatform.endpoints.deploy on the endpoint",
      sources: [`${VERTEX_REST}/projects.locations.endpoints/mutateDeployedModel`],
    },
  ],
  [
    "aiplatform.projects.locations.endpoints.operations.get",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.endpoints.get"],
      why: "mapped to nothing; Vertex AI checks the resource's `get` permission to GET an operation it returned",
      sources: [VERTEX_IAM],
    },
  ],
  [
    "aiplatform.projects.locations.endpoints.operations.list",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.operations.list"],
      why: "mapped to nothing; listing a resource's long-running operations checks aiplatform.operations.list",
      sources: [VERTEX_IAM, `${VERTEX_REST}/projects.locations.endpoints.operations/list`],
    },
  ],
  [
    "aiplatform.projects.locations.models.operations.get",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.models.get"],
      why: "mapped to nothing; Vertex AI checks the resource's `get` permission to GET an operation it returned",
      sources: [VERTEX_IAM],
    },
  ],
  [
    "aiplatform.projects.locations.schedules.operations.get",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.schedules.get"],
      why: "mapped to nothing; Vertex AI checks the resource's `get` permission to GET an operation it returned",
      sources: [VERTEX_IAM],
    },
  ],
  [
    "aiplatform.projects.locations.models.deleteVersion",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.models.delete"],
      why: "mapped to nothing; deleting a version is a model delete in the Vertex AI permissions table",
      sources: [`${VERTEX_REST}/projects.locations.models/deleteVersion`, VERTEX_IAM],
    },
  ],
  [
    "aiplatform.projects.locations.models.mergeVersionAliases",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.models.update"],
      // assumed: aliases are a field of the model version, changed like any other update.
      why: "mapped to nothing; assumed to be checked as a model update (aliases are a field of the version)",
      sources: [`${VERTEX_REST}/projects.locations.models/mergeVersionAliases`, VERTEX_IAM],
    },
  ],
  [
    "aiplatform.projects.locations.models.listVersions",
    {
      dataset: "unmapped",
      permissions: ["aiplatform.models.list"],
      // assumed: listing versions is listing models under the registry entry.
      why: "mapped to nothing; assumed to be checked as a model list",
      sources: [`${VERTEX_REST}/projects.locations.models/listVersions`, VERTEX_IAM],
    },
  ],
]);
