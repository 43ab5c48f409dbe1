import type { GpuType } from "./gpus";
import type { TpuVersion } from "./tpus";

/**
 * Zones offering each accelerator. Compiled 2026-11-26 from
 * https://cloud.google.com/compute/docs/gpus/gpu-regions-zones (GPUs) and
 * https://cloud.google.com/tpu/docs/regions-zones (TPUs).
 *
 * Deliberately conservative: a zone is listed only where the documentation has long listed it,
 * so a newer zone is refused until it is added here (run
 * `gcloud compute accelerator-types list --filter="name=<type>"` and add it with the date). An
 * offered zone can still be out of stock; that is what the capacity fallbacks are for. The list
 * says where the hardware exists, not where quota has been granted.
 */
export const AVAILABILITY_CHECKED = "2026-11-26";
export const AVAILABILITY_SOURCES = {
  gpu: "https://cloud.google.com/compute/docs/gpus/gpu-regions-zones",
  tpu: "https://cloud.google.com/tpu/docs/regions-zones",
} as const;

type Accelerator = GpuType | `tpu-${TpuVersion}`;

export const ZONES: Readonly<Record<Accelerator, readonly string[]>> = {
  "nvidia-tesla-t4": [
    "asia-east1-a", "asia-east1-c", "asia-northeast1-a", "asia-northeast1-c", "asia-northeast3-b", "asia-northeast3-c",
    "asia-south1-a", "asia-south1-b", "asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c",
    "australia-southeast1-a", "australia-southeast1-c", "europe-west1-b", "europe-west1-c", "europe-west1-d",
    "europe-west2-a", "europe-west2-b", "europe-west3-b", "europe-west4-a", "europe-west4-b", "europe-west4-c",
    "northamerica-northeast1-c", "southamerica-east1-c", "us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f",
    "us-east1-c", "us-east1-d", "us-east4-a", "us-east4-b", "us-east4-c", "us-west1-a", "us-west1-b",
    "us-west2-b", "us-west2-c", "us-west4-a", "us-west4-b",
  ],
  "nvidia-l4": [
    "asia-east1-a", "asia-east1-c", "asia-northeast1-a", "asia-northeast1-c", "asia-south1-a", "asia-south1-b",
    "asia-southeast1-a", "asia-southeast1-b", "asia-southeast1-c", "europe-west1-b", "europe-west1-c",
    "europe-west2-a", "europe-west2-b", "europe-west3-a", "europe-west3-b", "europe-west4-a", "europe-west4-b", "europe-west4-c",
    "us-central1-a", "us-central1-b", "us-central1-c", "us-east1-b", "us-east1-c", "us-east1-d", "us-east4-a", "us-east4-c",
    "us-west1-a", "us-west1-b", "us-west1-c", "us-west4-a", "us-west4-c",
  ],
  "nvidia-tesla-a100": [
    "asia-northeast1-a", "asia-northeast1-c", "asia-northeast3-a", "asia-northeast3-b", "asia-southeast1-b", "asia-southeast1-c",
    "europe-west4-a", "europe-west4-b", "me-west1-b", "me-west1-c", "us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f",
    "us-east1-b", "us-west1-b", "us-west3-b", "us-west4-b",
  ],
  "nvidia-a100-80gb": ["asia-southeast1-c", "europe-west4-a", "us-central1-a", "us-central1-c", "us-east4-c", "us-east5-b"],
  "nvidia-h100-80gb": [
    "asia-southeast1-b", "asia-southeast1-c", "europe-west1-b", "europe-west1-c", "europe-west4-b", "europe-west4-c",
    "us-central1-a", "us-central1-c", "us-east4-a", "us-east4-b", "us-east4-c", "us-east5-a", "us-west1-a", "us-west4-a",
  ],
  "nvidia-h100-mega-80gb": ["asia-southeast1-b", "europe-west1-b", "europe-west4-b", "europe-west4-c", "us-central1-a", "us-central1-c", "us-east4-a", "us-east4-b", "us-east5-a"],
  "nvidia-h200-141gb": ["asia-south1-b", "europe-west1-b", "us-central1-b", "us-east4-b"],
  "tpu-v5e": ["asia-southeast1-b", "europe-west4-b", "us-central1-a", "us-east1-c", "us-south1-a", "us-west1-c", "us-west4-a"],
  "tpu-v5p": ["europe-west4-b", "us-central1-a", "us-east5-a"],
  "tpu-v6e": ["asia-northeast1-b", "europe-west4-a", "us-central1-b", "us-east1-d", "us-east5-a", "us-east5-b", "us-south1-a"],
};

export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

/** Zones of `region` offering the accelerator, sorted; empty when the region has none. */
export function offeredZones(accelerator: Accelerator, region: string): string[] {
  return ZONES[accelerator].filter((z) => regionOfZone(z) === region).sort();
}

/** Regions offering the accelerator, sorted. */
export function offeredRegions(accelerator: Accelerator): string[] {
  return [...new Set(ZONES[accelerator].map(regionOfZone))].sort();
}
