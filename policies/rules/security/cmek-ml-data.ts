import { T } from "../../lib/resources";
import { asString, at, isOpaque } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Training data, model weights, batch outputs and serving images are the platform's crown
 * jewels. A customer-managed key lets security revoke access to all of it at once (disable the
 * key) and keeps an audit trail of every decrypt. Prod only: dev holds no customer data.
 */
const KEY_PATHS: Readonly<Record<string, string>> = {
  [T.bucket]: "encryption.defaultKmsKeyName",
  [T.repository]: "kmsKeyName",
  "gcp:vertex/aiDataset:AiDataset": "encryptionSpec.kmsKeyName",
  "gcp:vertex/aiFeatureOnlineStore:AiFeatureOnlineStore": "encryptionSpec.kmsKeyName",
  "gcp:bigquery/dataset:Dataset": "defaultEncryptionConfiguration.kmsKeyName",
};

export default definePolicy({
  name: "cmek-ml-data",
  description: "In prod, every store of ML data (buckets, registries, Vertex AI datasets, BigQuery datasets) is encrypted with a customer-managed key.",
  group: "security",
  severity: "high",
  mirrors: ["AVD-GCP-0066", "CKV_GCP_84"],
  remediation:
    "Set llmops:storage.kmsKeyName to a Cloud KMS key in the data's location (the stack grants the service agents encrypt/decrypt on it before using it); other stores take the same key in their encryption settings.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: Object.keys(KEY_PATHS),
    check(resource, ctx) {
      if (ctx.environment !== "prod") return [];
      const path = KEY_PATHS[resource.type];
      const key = at(resource.inputs, path);
      if (isOpaque(key) || asString(key)) return [];
      return [{ message: `${path} is not set: Google-managed encryption; allowed: a Cloud KMS key (projects/…/cryptoKeys/…)` }];
    },
  },
});
