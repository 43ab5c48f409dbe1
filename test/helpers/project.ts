import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SecretInfo } from "../../infra/settings";
import { readProjectFile, readStackFile, secretInfo } from "../../infra/testing/stack-files";

export const ROOT = path.resolve(__dirname, "../..");

/** A committed stack's config as Pulumi hands it to the program (flat `namespace:key` map). */
export function committedConfig(stack: string): Record<string, string> {
  const project = readProjectFile(ROOT);
  if (!project.ok) throw new Error(JSON.stringify(project.problems));
  const file = readStackFile(ROOT, stack, project.value);
  if (!file.ok) throw new Error(JSON.stringify(file.problems));
  return file.value.config;
}

/** Where a committed stack's `secure:` values are, as the offline renderer tells the program. */
export function committedSecrets(stack: string): SecretInfo {
  const project = readProjectFile(ROOT);
  if (!project.ok) throw new Error(JSON.stringify(project.problems));
  const file = readStackFile(ROOT, stack, project.value);
  if (!file.ok) throw new Error(JSON.stringify(file.problems));
  return secretInfo(file.value);
}

/**
 * A throwaway project folder: the real Pulumi.yaml and program (linked), plus the given stack
 * files. Lets tests run the CLI on stack files that must not be committed.
 */
const created: string[] = [];
// Test files share processes (vitest.config.mts): the temporary projects go when the process exits.
process.once("exit", () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempProject(stackFiles: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-test-"));
  created.push(dir);
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  // Every other top-level entry linked, so the render caches key a committed configuration here
  // as in this checkout (infra/common/program-sources.ts).
  for (const entry of fs.readdirSync(ROOT)) {
    if (entry === "Pulumi.yaml" || /^Pulumi\..+\.ya?ml$/.test(entry) || [".git", ".llmops", "test"].includes(entry)) continue;
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  for (const [stack, text] of Object.entries(stackFiles)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}
