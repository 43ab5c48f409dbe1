/** `llmops pipelines compile`: one template per mission pipeline, identical to `compileToYaml`. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileToYaml } from "../../../pipelines/compiler";
import { compileAll } from "../../../pipelines/compiler/cli";
import { PIPELINES } from "../../../pipelines/llmops";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("compileAll", () => {
  it("writes <pipeline-name>.yaml for every mission pipeline into a new directory and returns the paths", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-pipelines-"));
    dirs.push(root);
    const out = path.join(root, "nested", "out");
    const written = compileAll(out);
    expect(written).toEqual(["batch-prediction", "data-preparation", "tune-and-evaluate"].map((name) => path.join(out, `${name}.yaml`)));
    for (const file of written) {
      const name = path.basename(file, ".yaml");
      expect(fs.readFileSync(file, "utf8")).toBe(compileToYaml(PIPELINES[name]));
    }
  });
});
