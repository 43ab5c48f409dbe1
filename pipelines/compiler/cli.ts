/** Writes the mission pipelines' compiled templates; wired to `llmops pipelines compile [--out DIR]`. */

import * as fs from "node:fs";
import * as path from "node:path";
import { PIPELINES } from "../llmops";
import { compileToYaml } from "./index";

/** Writes `<pipeline-name>.yaml` for every mission pipeline into `outDir`; returns the paths written. */
export function compileAll(outDir: string): string[] {
  // Compile everything first, so a broken pipeline leaves no half-updated directory behind.
  const files = Object.keys(PIPELINES)
    .sort()
    .map((name) => ({ file: path.join(outDir, `${name}.yaml`), text: compileToYaml(PIPELINES[name]) }));
  fs.mkdirSync(outDir, { recursive: true });
  for (const { file, text } of files) fs.writeFileSync(file, text);
  return files.map(({ file }) => file);
}
