import { z } from "zod";
import { K8S_WORKLOADS, labelsOf, T } from "../../lib/resources";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Labels are how the bill is split: Cloud Billing export carries Google Cloud labels (and GKE cost
 * allocation the pods' Kubernetes labels), and an unlabelled GPU is a cost nobody owns. Serving
 * resources also say which model and version they serve, so cost per model version is a query.
 */
const settings = z.strictObject({
  /** Required on every labelable resource. */
  labels: z.array(z.string()),
  /** Also required on resources of one model (endpoints) and of one model version. */
  modelLabels: z.array(z.string()),
  /** Also required on resources of one model version (uploads, safety templates, model servers). */
  versionLabels: z.array(z.string()),
});

const MODEL_SCOPED: readonly string[] = [T.endpoint];
const VERSION_SCOPED: readonly string[] = [T.modelVersion, T.armorTemplate];

export default definePolicy({
  name: "required-labels",
  description: "Labelable resources carry environment, team and cost-center; serving resources also carry model and model-version.",
  group: "cost",
  severity: "medium",
  mirrors: [],
  remediation:
    "Set team and cost-center in llmops:labels (the program adds environment and managed-by to every labelable resource, model and model-version to serving resources); resources created outside the components take the same labels explicitly.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: {
    schema: settings,
    defaults: () => ({ labels: ["environment", "team", "cost-center"], modelLabels: ["model"], versionLabels: ["model-version"] }),
  },
  resource: {
    types: [/^gcp:/, T.modelVersion, ...K8S_WORKLOADS],
    check(resource, ctx) {
      const labels = labelsOf(resource);
      if (!labels) return [];
      const { settings } = ctx;
      // A Kubernetes workload is a model server when it says which model it serves.
      const serving = resource.type.startsWith("kubernetes:") ? labels.model !== undefined : VERSION_SCOPED.includes(resource.type);
      const required = [
        ...settings.labels,
        ...(serving || MODEL_SCOPED.includes(resource.type) ? settings.modelLabels : []),
        ...(serving ? settings.versionLabels : []),
      ];
      const missing = [...new Set(required)].filter((key) => !labels[key]);
      return missing.length ? [{ message: `missing label${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; allowed: every one of ${[...new Set(required)].join(", ")} with a value` }] : [];
    },
  },
});
