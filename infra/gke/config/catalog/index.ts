/** Dated facts about Google Cloud accelerators; each file names its sources and the date checked. */
export {
  CAPACITY_OPTIONS,
  type CapacityOption,
  GPU_CATALOG_CHECKED,
  GPU_TYPES,
  GPUS,
  type GpuShape,
  type GpuSharingStrategy,
  type GpuSpec,
  type GpuType,
  countsForMachine,
  defaultMachineType,
  gpuCounts,
  gpuShape,
  isGpuType,
} from "./gpus";
export { TPU_CATALOG_CHECKED, TPU_VERSIONS, TPUS, type TpuSlice, type TpuSpec, type TpuVersion, topologyChips, tpuChipsOfMachine, tpuSlice } from "./tpus";
export { AVAILABILITY_CHECKED, AVAILABILITY_SOURCES, ZONES, offeredRegions, offeredZones, regionOfZone } from "./availability";
