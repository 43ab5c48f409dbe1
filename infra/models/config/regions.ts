/**
 * Where the managed services that serve models are offered. Checked 2026-11-01 against
 * https://cloud.google.com/vertex-ai/docs/general/locations (online prediction with custom
 * containers) and https://cloud.google.com/security-command-center/docs/model-armor-overview
 * (Model Armor locations). Conservative: a region missing here is rejected with a pointer to
 * this file, not failed by the API mid-rollout.
 */
export const SERVICE_REGIONS_CHECKED = "2026-11-01";

export const VERTEX_PREDICTION_REGIONS: readonly string[] = [
  "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast3", "asia-south1", "asia-southeast1", "asia-southeast2",
  "australia-southeast1", "europe-central2", "europe-north1", "europe-southwest1", "europe-west1", "europe-west2",
  "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "me-central1", "me-central2", "me-west1",
  "northamerica-northeast1", "southamerica-east1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
  "us-west1", "us-west2", "us-west3", "us-west4",
];

export const MODEL_ARMOR_REGIONS: readonly string[] = [
  "asia-northeast1", "asia-south1", "asia-southeast1", "australia-southeast1", "europe-west1", "europe-west2",
  "europe-west3", "europe-west4", "europe-west9", "northamerica-northeast1", "us-central1", "us-east1", "us-east4",
  "us-west1", "us-west4",
];

/** Accelerators Vertex AI online prediction offers, by its enum name, with the machine families that take them. */
export const VERTEX_ACCELERATORS: Readonly<Record<string, { families: readonly string[]; counts: readonly number[] }>> = {
  NVIDIA_TESLA_T4: { families: ["n1"], counts: [1, 2, 4] },
  NVIDIA_L4: { families: ["g2"], counts: [1, 2, 4, 8] },
  NVIDIA_TESLA_A100: { families: ["a2"], counts: [1, 2, 4, 8, 16] },
  NVIDIA_A100_80GB: { families: ["a2"], counts: [1, 2, 4, 8] },
  NVIDIA_H100_80GB: { families: ["a3"], counts: [8] },
  NVIDIA_H100_MEGA_80GB: { families: ["a3"], counts: [8] },
  NVIDIA_H200_141GB: { families: ["a3"], counts: [8] },
  TPU_V5_LITEPOD: { families: ["ct5lp"], counts: [1, 4, 8] },
  TPU_V6E: { families: ["ct6e"], counts: [1, 4, 8] },
};
