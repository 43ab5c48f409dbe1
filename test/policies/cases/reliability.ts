import { bucket, cluster, deployment, endpoint, labels } from "../fixtures";
import type { PolicyCases } from "../harness";

const DAY = 86_400;
const retention = (isLocked: boolean) => ({ retentionPolicy: { isLocked, retentionPeriod: String(365 * DAY) }, versioning: { enabled: false } });

export const reliability: Readonly<Record<string, PolicyCases>> = {
  "prod-multi-region-serving": {
    pass: [
      { name: "two regions", resources: [endpoint("us-central1"), endpoint("europe-west4")] },
      { name: "dev serves from one", stack: "dev", resources: [endpoint("us-central1", { labels: labels("dev", { model: "support-assistant" }) }, { stack: "dev" })] },
    ],
    fail: [
      { name: "one region in prod", resources: [endpoint("us-central1")], expect: /model support-assistant is served from 1 region \(us-central1\); allowed: at least 2/ },
      { name: "three required, two served", resources: [endpoint("us-central1"), endpoint("europe-west4")], settings: { minRegions: 3 }, expect: /from 2 regions/ },
    ],
  },
  "prod-min-replicas": {
    pass: [
      { name: "two replicas", resources: [deployment()] },
      { name: "a rolled-back candidate idles at one", resources: [deployment("us-central1", [{ id: "1", percent: 100 }, { id: "2", version: "1.3.0", percent: 0, minReplicas: 1 }])] },
    ],
    fail: [{ name: "one replica taking traffic", resources: [deployment("us-central1", [{ id: "1", percent: 100, minReplicas: 1 }])], expect: /takes 100% of traffic with minReplicas 1; allowed: 2 or more/ }],
  },
  "prod-deletion-protection": {
    pass: [
      { name: "protected data bucket, endpoint and cluster", resources: [bucket(), endpoint(), cluster()] },
      { name: "the scratch bucket may go", resources: [bucket({ labels: labels("prod", { "bucket-role": "pipeline-root" }) }, { protect: false })] },
      { name: "dev protects nothing", stack: "dev", resources: [bucket({ labels: labels("dev", { "bucket-role": "models" }) }, { stack: "dev", protect: false })] },
    ],
    fail: [
      { name: "an unprotected data bucket", resources: [bucket({}, { protect: false })], expect: /data bucket is not protected/ },
      { name: "a force-destroyed data bucket", resources: [bucket({ forceDestroy: true })], expect: /forceDestroy is true/ },
      { name: "an unprotected endpoint", resources: [endpoint("us-central1", {}, { protect: false })], expect: /endpoint is not protected/ },
      { name: "a cluster without deletion protection", resources: [cluster({ deletionProtection: false })], expect: /deletionProtection is false/ },
    ],
  },
  "model-artifacts-immutable": {
    pass: [
      { name: "versioning with 90 days of soft delete", resources: [bucket()] },
      { name: "a locked retention policy", resources: [bucket(retention(true))] },
      { name: "other buckets are not artifact buckets", resources: [bucket({ labels: labels("prod", { "bucket-role": "datasets" }), versioning: { enabled: false } })] },
    ],
    fail: [
      { name: "neither", resources: [bucket({ versioning: { enabled: false } })], expect: /neither object versioning nor a retention policy/ },
      { name: "both", resources: [bucket({ retentionPolicy: { retentionPeriod: "86400" } })], expect: /both object versioning and a retention policy/ },
      { name: "an unlocked retention policy in prod", resources: [bucket(retention(false))], expect: /unlocked retention policy in prod/ },
      { name: "versioning with soft delete off", resources: [bucket({ softDeletePolicy: { retentionDurationSeconds: 0 } })], expect: /keeps deleted objects 0 days/ },
    ],
  },
};
