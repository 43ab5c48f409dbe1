import type { PolicyResource } from "../types";
import { asArray, asString } from "./values";

const REGION = /^[a-z]+-[a-z]+\d+$/;
const ZONE = /^([a-z]+-[a-z]+\d+)-[a-z]$/;

/** `us-central1-a` → `us-central1`; regions as they are; multi-regions (`US`, `eu`, `NAM4`) upper-cased. */
export function regionOf(location: string): string {
  const zone = ZONE.exec(location);
  if (zone) return zone[1];
  if (REGION.test(location)) return location;
  return location.toUpperCase();
}

export function isZone(location: string): boolean {
  return ZONE.test(location);
}

/**
 * Where a resource puts data or capacity, from the inputs Google resources use for it:
 * `location`, `region`, `zone`, GKE's `nodeLocations`. `global` is not a place.
 */
export function locationsOf(resource: PolicyResource): string[] {
  const { inputs } = resource;
  const found = [asString(inputs.location), asString(inputs.region), asString(inputs.zone), ...asArray(inputs.nodeLocations).map(asString)];
  const places = found.filter((l): l is string => l !== undefined && l !== "" && l.toLowerCase() !== "global").map(regionOf);
  return [...new Set(places)];
}
