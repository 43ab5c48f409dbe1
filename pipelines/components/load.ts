/**
 * Components loaded from files and URLs (`kfp.components.load_component_from_file/url`): KFP v1
 * `component.yaml` files and compiled KFP v2 components. Parsing and typing are the DSL's
 * `loadComponentFromText`; this reads the bytes.
 */

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { loadComponentFromText, type ContainerComponent, type InputSpecs, type LoadComponentOptions, type OutputSpecs } from "../dsl";

/** `load_component_from_file`. */
export function loadComponentFromFile<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  file: string,
  options: Omit<LoadComponentOptions<I, O>, "sourceName"> = {},
): ContainerComponent<I, O> {
  return loadComponentFromText<I, O>(fs.readFileSync(file, "utf8"), { ...options, sourceName: file });
}

export interface LoadFromUrlOptions<I extends InputSpecs, O extends OutputSpecs> extends Omit<LoadComponentOptions<I, O>, "sourceName"> {
  /**
   * The SHA-256 of the file, in hex: a URL's content can change under the same address, and a
   * pipeline should compile the same way every time. A mismatch is an error.
   */
  readonly sha256?: string;
  /** @default globalThis.fetch */
  readonly fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
}

/**
 * `load_component_from_url`: `gs://bucket/path` is read from `https://storage.googleapis.com/…`
 * (public objects), as in the SDK. Pin the content with `sha256`.
 */
export async function loadComponentFromUrl<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  url: string,
  options: LoadFromUrlOptions<I, O> = {},
): Promise<ContainerComponent<I, O>> {
  const { sha256, fetch: fetchText = globalThis.fetch, ...rest } = options;
  const address = url.startsWith("gs://") ? `https://storage.googleapis.com/${url.slice("gs://".length)}` : url;
  const response = await fetchText(address);
  if (!response.ok) throw new Error(`component ${url}: HTTP ${response.status} from ${address}`);
  const text = await response.text();
  if (sha256 !== undefined) {
    const actual = createHash("sha256").update(text, "utf8").digest("hex");
    if (actual !== sha256.toLowerCase()) throw new Error(`component ${url}: content has SHA-256 ${actual}, not the pinned ${sha256}; allowed: the file the pin was taken from (update the pin after reviewing the change)`);
  }
  return loadComponentFromText<I, O>(text, { ...rest, sourceName: url });
}
