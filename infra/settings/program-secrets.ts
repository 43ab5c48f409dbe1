import * as fs from "node:fs";
import * as path from "node:path";
import type { SecretInfo } from "./key-path";
import { readProjectFile, readStackFile, stackNameProblem } from "./stack-file";

/** Set by the offline renderer: the exact paths of the stack's secure values, as JSON. */
export const SECRET_PATHS_ENV = "LLMOPS_CONFIG_SECRET_PATHS";

/**
 * Where the program's secure values are. Pulumi tells a program only which top-level keys hold
 * one (`PULUMI_CONFIG_SECRET_KEYS`). The offline renderer passes the exact paths; under `pulumi
 * up` they come from the stack file in the project folder (the working directory Pulumi runs the
 * program in), provided that file is what the config came from: the same secret keys and the
 * same plain values. Otherwise (`--config-file`, config from an environment) only the top-level
 * keys are known, and the checks fall back to them (infra/settings/secrets.ts).
 */
export function programSecrets(config: Readonly<Record<string, string>>, stack: string, env: NodeJS.ProcessEnv = process.env, dir = process.cwd()): SecretInfo {
  const keys: string[] = JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS || "[]");
  if (env[SECRET_PATHS_ENV]) return { keys, paths: JSON.parse(env[SECRET_PATHS_ENV]!) };
  if (stackNameProblem(stack) || !fs.existsSync(path.join(dir, "Pulumi.yaml"))) return { keys };
  const project = readProjectFile(dir);
  if (!project.ok) return { keys };
  const file = readStackFile(dir, stack, project.value);
  if (!file.ok) return { keys };
  const sameSecrets = JSON.stringify([...keys].sort()) === JSON.stringify(file.value.secretKeys);
  const samePlain = Object.entries(file.value.config).every(([key, value]) => file.value.secretKeys.includes(key) || config[key] === value);
  return sameSecrets && samePlain ? { keys, paths: file.value.secretPaths } : { keys };
}
