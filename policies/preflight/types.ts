/**
 * The tables preflight checks plans against: what Google Cloud (and GKE, and the Pulumi engine)
 * require at apply time that the mock runtime cannot see. Every entry cites its source.
 */

export type Operation = "create" | "update" | "delete";

/**
 * One Pulumi resource type that calls a Google API: the API it needs enabled, and the REST
 * methods its provider calls per operation (as named in the IAM dataset's API-method map, e.g.
 * `storage.buckets.insert`), from which the permissions the caller needs are derived.
 */
export interface ResourceTypeRule {
  /** The service the provider calls, e.g. `storage.googleapis.com`. */
  readonly api: string;
  /** REST methods the provider calls per operation (create includes the read-back after create). */
  readonly methods: Readonly<Record<Operation, readonly string[]>>;
  /**
   * Permissions checked that the dataset does not map to a method above (or maps wrongly),
   * each with why. Applied on top of the derived ones.
   */
  readonly extraPermissions?: Partial<Record<Operation, readonly string[]>>;
  /**
   * Input paths (dot-separated, `[]` for every element of a list) holding the email of a service
   * account the resource runs as: the caller needs `iam.serviceAccounts.actAs` on it.
   */
  readonly runsAs?: readonly string[];
  /**
   * Creating it starts a workload as the `runsAs` account (a model server, a node), which fails
   * unless that account's own grants (bucket and registry access) are already in place.
   */
  readonly startsWorkload?: boolean;
  /**
   * The provider builds the API URL from its own region (no region or location input decides it):
   * the resource fails with "Cannot determine region" unless its provider has `region` or `zone`.
   */
  readonly providerRegion?: boolean;
  /** Where the API, the methods and the other facts come from (URLs). */
  readonly sources: readonly string[];
}

/** What installs a Kubernetes kind that is not built into every cluster. */
export type KindInstaller =
  /** A cluster setting: the CRD exists once the cluster is created with this input set (dot path → expected value). */
  | { readonly by: "cluster"; readonly setting?: { readonly path: string; readonly equals: unknown } }
  /** A fleet feature (`gcp:gkehub/feature:Feature` of this name) plus the cluster's fleet membership. */
  | { readonly by: "fleet-feature"; readonly feature: string }
  /** Built into the Kubernetes API server. */
  | { readonly by: "builtin" };

/**
 * One Kubernetes kind (`<group>/<version>:<Kind>` as in the Pulumi type token after `kubernetes:`,
 * core kinds as `core/v1:Namespace`): the GKE IAM permissions the caller needs (GKE authorises
 * Kubernetes API calls with IAM as well as RBAC), and what installs it.
 */
export interface KubernetesKindRule {
  readonly permissions: Readonly<Record<Operation, readonly string[]>>;
  readonly installedBy: KindInstaller;
  readonly sources: readonly string[];
}
