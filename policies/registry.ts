import type { Policy } from "./types";
import artifactRegistryImmutableTags from "./rules/security/artifact-registry-immutable-tags";
import ciFederationSingleRepository from "./rules/security/ci-federation-single-repository";
import cmekMlData from "./rules/security/cmek-ml-data";
import gkeNoDefaultNodePool from "./rules/security/gke-no-default-node-pool";
import gkeNodeServiceAccount from "./rules/security/gke-node-service-account";
import gkePrivateCluster from "./rules/security/gke-private-cluster";
import gkeShieldedNodes from "./rules/security/gke-shielded-nodes";
import gkeWorkloadIdentity from "./rules/security/gke-workload-identity";
import iamNoBasicRoles from "./rules/security/iam-no-basic-roles";
import iamNoDefaultServiceAccounts from "./rules/security/iam-no-default-service-accounts";
import iamNoPublicPrincipals from "./rules/security/iam-no-public-principals";
import iamNoServiceAccountKeys from "./rules/security/iam-no-service-account-keys";
import imagesPinnedByDigest from "./rules/security/images-pinned-by-digest";
import storagePublicAccessPrevention from "./rules/security/storage-public-access-prevention";
import storageUniformAccess from "./rules/security/storage-uniform-access";
import vertexEndpointNoPublicInvoker from "./rules/security/vertex-endpoint-no-public-invoker";
import modelArtifactsImmutable from "./rules/reliability/model-artifacts-immutable";
import prodDeletionProtection from "./rules/reliability/prod-deletion-protection";
import prodMinReplicas from "./rules/reliability/prod-min-replicas";
import prodMultiRegionServing from "./rules/reliability/prod-multi-region-serving";
import acceleratorBudget from "./rules/cost/accelerator-budget";
import acceleratorPoolAutoscaling from "./rules/cost/accelerator-pool-autoscaling";
import allowedRegions from "./rules/cost/allowed-regions";
import batchCapacityInterruptible from "./rules/cost/batch-capacity-interruptible";
import monthlyBudget from "./rules/cost/monthly-budget";
import prodServingNotSpotOnly from "./rules/cost/prod-serving-not-spot-only";
import requiredLabels from "./rules/cost/required-labels";
import modelSafetySettings from "./rules/rollouts/model-safety-settings";
import prodAlertsWired from "./rules/rollouts/prod-alerts-wired";
import prodCandidateFromDev from "./rules/rollouts/prod-candidate-from-dev";
import prodCanaryWeight from "./rules/rollouts/prod-canary-weight";
import trafficSplitValid from "./rules/rollouts/traffic-split-valid";

/** Every policy of the pack, by group then name: the pack, the runner and the docs use this list. */
export const POLICIES: readonly Policy[] = [
  artifactRegistryImmutableTags,
  ciFederationSingleRepository,
  cmekMlData,
  gkeNoDefaultNodePool,
  gkeNodeServiceAccount,
  gkePrivateCluster,
  gkeShieldedNodes,
  gkeWorkloadIdentity,
  iamNoBasicRoles,
  iamNoDefaultServiceAccounts,
  iamNoPublicPrincipals,
  iamNoServiceAccountKeys,
  imagesPinnedByDigest,
  storagePublicAccessPrevention,
  storageUniformAccess,
  vertexEndpointNoPublicInvoker,
  modelArtifactsImmutable,
  prodDeletionProtection,
  prodMinReplicas,
  prodMultiRegionServing,
  acceleratorBudget,
  acceleratorPoolAutoscaling,
  allowedRegions,
  batchCapacityInterruptible,
  monthlyBudget,
  prodServingNotSpotOnly,
  requiredLabels,
  modelSafetySettings,
  prodAlertsWired,
  prodCandidateFromDev,
  prodCanaryWeight,
  trafficSplitValid,
];

export function policyNamed(name: string): Policy | undefined {
  return POLICIES.find((p) => p.name === name);
}
