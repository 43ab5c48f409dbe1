import * as fs from "node:fs";

/**
 * A file as git's index records it (device, inode, size, change and modification times in ns):
 * what changes whenever its content can have, read without reading the file. Undefined when the
 * file is gone. `changedNs`: the later of its change and modification times.
 */
export function fileIdentity(file: string): { readonly id: string; readonly changedNs: bigint } | undefined {
  const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!s) return undefined;
  return { id: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, changedNs: s.mtimeNs > s.ctimeNs ? s.mtimeNs : s.ctimeNs };
}

/** How close to a read a change must be to leave what was read in doubt. */
export const RACY_MS = 2000;

/**
 * Whether a file that last changed at `changedNs` may have changed again, after it was read at
 * `readMs`, without its identity showing it (a clock's granularity can leave the times as they
 * were): git's "racy" entries (https://git-scm.com/docs/racy-git). As git does, what was read
 * from such a file is not vouched for by its identity.
 */
export function racy(changedNs: bigint, readMs: number): boolean {
  return changedNs > BigInt(readMs - RACY_MS) * 1_000_000n;
}
