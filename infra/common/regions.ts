/**
 * Google Cloud regions, as listed at https://cloud.google.com/about/locations and by
 * `gcloud compute regions list`. Checked 2026-11-01: a region that opens later is rejected
 * until it is added here, which is the safer failure (a typo such as `us-centrall` never
 * reaches the API).
 */
export const REGIONS_CHECKED = "2026-11-01";

export const GCP_REGIONS = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-south2",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-north2",
  "europe-southwest1",
  "europe-west1",
  "europe-west10",
  "europe-west12",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "northamerica-south1",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
] as const;

export type Region = (typeof GCP_REGIONS)[number];

/** Multi-regions and dual-regions accepted as a Cloud Storage bucket location. */
export const STORAGE_MULTI_REGIONS = ["US", "EU", "ASIA", "NAM4", "EUR4", "ASIA1", "EUR5", "EUR7", "EUR8"] as const;

export function isRegion(value: string): value is Region {
  return (GCP_REGIONS as readonly string[]).includes(value);
}
