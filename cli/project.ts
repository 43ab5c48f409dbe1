import * as fs from "node:fs";
import * as path from "node:path";

/** The folder holding Pulumi.yaml: the working directory or the nearest one above it. */
export function findProjectDir(start = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) throw new UserError(`no Pulumi.yaml in ${start} or any folder above it; run llmops inside the project`);
  }
}

/** A mistake the user can fix: printed as a message, never as a stack trace; exit code 1. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
