/**
 * The build context as a gzipped POSIX ustar archive, written here rather than with the `tar`
 * package (only a transitive dependency of this project) because what matters is determinism, not
 * features: the same files make the same bytes, whoever packs them and whenever. Every entry is a
 * regular file with mode 0644, uid/gid 0, no user or group name and mtime 0, in the order given
 * (`contextFiles` sorts them); no directory entries (`docker build` creates parents on COPY).
 * gzip through node:zlib writes mtime 0 and a fixed OS byte, so the .tar.gz is stable too.
 * Format: POSIX.1-1988 ustar, https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06
 */

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, length, "utf8");
}

/** An octal number padded to `length - 1` digits and a NUL, as ustar numeric fields are. */
function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, "0")}\0`;
}

/** Splits `name` into ustar's prefix (155 bytes) and name (100 bytes) at a slash, or says why it can't. */
function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", name };
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) return { prefix, name: rest };
  }
  throw new Error(`build context: ${JSON.stringify(name)} is too long for a ustar archive (at most 100 bytes after a directory prefix of at most 155); shorten the path`);
}

function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const parts = splitName(name);
  field(h, 0, 100, parts.name);
  field(h, 100, 8, octal(0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(0, 12));
  field(h, 148, 8, "        "); // the checksum counts its own field as spaces
  field(h, 156, 1, "0");
  field(h, 257, 6, "ustar\0");
  field(h, 263, 2, "00");
  field(h, 345, 155, parts.prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

/** `files`: paths relative to the context with `/` separators, and their bytes, in archive order. */
export function ustar(files: readonly { readonly path: string; readonly bytes: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    if (file.bytes.length > 0o77777777777) throw new Error(`build context: ${file.path} is larger than a ustar entry allows (8 GiB)`);
    blocks.push(header(file.path, file.bytes.length), file.bytes);
    const pad = (BLOCK - (file.bytes.length % BLOCK)) % BLOCK;
    if (pad > 0) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(2 * BLOCK, 0)); // end of archive
  return Buffer.concat(blocks);
}

/** The context directory's `files` (relative, sorted) as a .tar.gz. */
export function contextTarball(dir: string, files: readonly string[]): Buffer {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const zlib = require("node:zlib") as typeof import("node:zlib");
  const tar = ustar(files.map((file) => ({ path: file, bytes: fs.readFileSync(path.join(dir, file)) })));
  return zlib.gzipSync(tar, { level: 9 });
}
