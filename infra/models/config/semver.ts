/**
 * Semantic-version precedence (https://semver.org/#spec-item-11) for the version ids the schema
 * accepts (`MAJOR.MINOR.PATCH[-PRERELEASE]`, no build metadata). Versions are keys of a YAML map,
 * so their written order means nothing; anything that must follow release order (uploads into one
 * registry entry, where the first upload takes the `default` alias) sorts with this.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = split(a);
  const [coreB, preB] = split(b);
  for (let i = 0; i < 3; i++) {
    const d = numeric(coreA[i]) - numeric(coreB[i]);
    if (d !== 0) return Math.sign(d);
  }
  // A pre-release precedes its release: 1.3.0-rc.1 < 1.3.0.
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  const idsA = preA.split(".");
  const idsB = preB.split(".");
  for (let i = 0; i < Math.min(idsA.length, idsB.length); i++) {
    const d = compareIdentifier(idsA[i], idsB[i]);
    if (d !== 0) return d;
  }
  return Math.sign(idsA.length - idsB.length);
}

/** `versions` from oldest to newest release. */
export function inReleaseOrder(versions: Iterable<string>): string[] {
  return [...versions].sort(compareVersions);
}

function split(version: string): [string[], string | undefined] {
  const dash = version.indexOf("-");
  return dash < 0 ? [version.split("."), undefined] : [version.slice(0, dash).split("."), version.slice(dash + 1)];
}

function numeric(part: string | undefined): number {
  return Number(part ?? 0);
}

/** Numeric identifiers compare as numbers and precede alphanumeric ones, which compare in ASCII order. */
function compareIdentifier(a: string, b: string): number {
  const aNum = /^\d+$/.test(a);
  const bNum = /^\d+$/.test(b);
  if (aNum && bNum) return Math.sign(Number(a) - Number(b));
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
