import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "./program-sources";

/**
 * A folder of entries by key, for the render caches (plans, serialised provider code). Each file
 * is the hash of its body, a newline, and the body: an entry cut short or changed by anything
 * but this code is not read back (a corrupt provider text would otherwise reach the engine and be
 * recorded in the state). Reading an entry marks it used; writing one keeps the `keep` entries
 * used last. Writes go to a file of their own and are renamed into place, so readers never see
 * half an entry, whatever the processes and threads writing. Nothing here throws: a cache that
 * cannot be read or written is an empty one.
 */

export function readEntry(folder: string, key: string): string | undefined {
  const file = path.join(folder, key);
  try {
    const text = fs.readFileSync(file, "utf8");
    const newline = text.indexOf("\n");
    const body = text.slice(newline + 1);
    if (newline !== 64 || text.slice(0, newline) !== sha256(body)) return undefined;
    const now = new Date();
    fs.utimesSync(file, now, now);
    return body;
  } catch {
    return undefined;
  }
}

export function writeEntry(folder: string, key: string, body: string, keep: number): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    const tmp = path.join(folder, `.${key}.${randomUUID()}.tmp`);
    fs.writeFileSync(tmp, `${sha256(body)}\n${body}`);
    fs.renameSync(tmp, path.join(folder, key));
    const entries = fs
      .readdirSync(folder)
      .filter((f) => !f.startsWith("."))
      .map((f) => ({ f, t: fs.statSync(path.join(folder, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of entries.slice(keep)) fs.rmSync(path.join(folder, f), { force: true });
  } catch {
    // a read-only or full disk: nothing kept
  }
}
