import { createHash } from "node:crypto";
import { toLabelValue } from "../../common/labels";

/**
 * Kubernetes names and labels of a GKE-served model. Names are derived from the model and version
 * alone, so they are the same in every cluster: multi-cluster Services join exports by namespace
 * and name, which is what lets one ServiceImport span the regions.
 */

/** The Kubernetes service account every server of the model runs as, in the model's namespace. */
export const SERVER_ACCOUNT = "model-server";

/** Where a version's weights are mounted: the path the committed args name on both platforms. */
export const MODEL_DIR = "/gcs/model";

/** Where the version's prompt template and safety settings are mounted. */
export const CONFIG_DIR = "/etc/llmops";

/** The container port's name; Services, PodMonitoring and probes refer to it. */
export const PORT_NAME = "http";

/** The namespace of the Gateway in the fleet's config cluster. */
export const GATEWAY_NAMESPACE = "llmops-gateway";

/** Namespaces carrying this label may attach routes to the front door. */
export const FRONT_DOOR_LABEL = "llmops-front-door";

/** DNS-1123 labels are at most 63 characters; longer names keep a prefix and a hash of the whole. */
function dnsLabel(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  if (clean.length <= 63) return clean;
  const hash = createHash("sha256").update(clean).digest("hex").slice(0, 8);
  return `${clean.slice(0, 54).replace(/-+$/, "")}-${hash}`;
}

/** The model's namespace in every cluster it is served from (and in the config cluster). */
export function namespaceOf(model: string): string {
  return dnsLabel(model);
}

/** `1.3.0-rc.1` → `1-3-0-rc-1`: a version as a name part and a logical-name suffix. */
export function versionSlug(version: string): string {
  return version.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * The name of a version's Deployment, Service, ServiceExport (and so of the ServiceImport the
 * route sends traffic to), ConfigMap, HPA and PDB: `gemma-chat-v1-0-0`.
 */
export function serverName(model: string, version: string): string {
  return dnsLabel(`${model}-v${versionSlug(version)}`);
}

/** Labels that select one version's pods; they never change for the life of the Deployment. */
export function selectorLabels(model: string, version: string): Record<string, string> {
  return { "app.kubernetes.io/name": dnsLabel(model), "app.kubernetes.io/instance": serverName(model, version) };
}

/**
 * Labels of every object of a version: the stack's labels (billing reads them through GKE cost
 * allocation), `model` and `model-version` as on Vertex AI, and the recommended app labels.
 */
export function serverLabels(stackLabels: Readonly<Record<string, string>>, model: string, version: string): Record<string, string> {
  return {
    ...stackLabels,
    ...selectorLabels(model, version),
    "app.kubernetes.io/version": toLabelValue(version),
    "app.kubernetes.io/component": "model-server",
    "app.kubernetes.io/part-of": "llmops",
    model,
    "model-version": toLabelValue(version),
  };
}

/** Labels of the model's objects that belong to no single version (namespace, route, monitoring). */
export function modelLabels(stackLabels: Readonly<Record<string, string>>, model: string): Record<string, string> {
  return { ...stackLabels, "app.kubernetes.io/name": dnsLabel(model), "app.kubernetes.io/part-of": "llmops", model };
}
