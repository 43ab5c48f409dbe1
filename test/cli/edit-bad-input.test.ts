import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { promote } from "../../cli/promote";
import { rolloutAdvance, rolloutFinish } from "../../cli/rollout";
import { StackFileEdit, type WriteOps, writeAll } from "../../cli/stack-edit";
import { scenarios, vertexFixture } from "../rollout/monitoring-fixtures";
import { committed, project, removeProjects, stackFile } from "./cli";

/**
 * Issue 16's promote / rollout cases (#8-#14), each with the exact input the report tried, run
 * in process (the CLI commands call these functions and print their result or UserError).
 */

afterAll(removeProjects);

const MODEL = "support-assistant";
const DEV = committed("dev");
const PROD = committed("prod");

function replaced(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit ${String(from)} changed nothing`);
  return next;
}

/**
 * Recorded metrics of a healthy candidate for the model in `stack` as its file stands now
 * (test/rollout/monitoring-fixtures.ts): advances are gated, and these tests are about the edits.
 */
function healthy(dir: string, stack: string): string {
  const settings = new StackFileEdit(dir, stack).validate();
  const model = settings.models[MODEL];
  const base = scenarios(model.config.slo!.latencyP99Ms).healthy;
  const file = path.join(dir, `${stack}-evidence.json`);
  fs.writeFileSync(file, JSON.stringify(vertexFixture(settings.project, model, { ...base, candidate: { ...base.candidate, perMinute: 150 } }, stack)));
  return file;
}

/** A project whose dev stack has support-assistant 1.3.0 fully rolled out (ready to promote). */
function readyToPromote(dev = DEV, prod = PROD): string {
  const dir = project({ dev, prod });
  rolloutAdvance({ dir, stack: "dev", model: MODEL, to: "full", evidence: healthy(dir, "dev") });
  return dir;
}

const error = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect((err as Error).name).toBe("UserError");
    return (err as Error).message;
  }
  throw new Error("expected a UserError");
};

describe("issue 16: promote and rollout on stack files they must not damage", () => {
  it("#8 a flow-style rollout with a trailing comment edits like block style: the comment stays once, finish works", () => {
    const prod = replaced(PROD, '      rollout:\n        stable: "1.2.0"\n', '      rollout: { stable: "1.2.0" }  # hand-written\n');
    const dir = readyToPromote(DEV, prod);
    promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: "prod" });
    const after = stackFile(dir, "prod");
    expect(after.match(/# hand-written/g)).toHaveLength(1);
    expect(after).toContain('rollout: { stable: "1.2.0", candidate: "1.3.0", stage: canary }  # hand-written\n');
    rolloutAdvance({ dir, stack: "prod", model: MODEL, evidence: healthy(dir, "prod") });
    rolloutAdvance({ dir, stack: "prod", model: MODEL, evidence: healthy(dir, "prod") });
    rolloutFinish({ dir, stack: "prod", model: MODEL });
    const done = stackFile(dir, "prod");
    expect(done).toContain('rollout: { stable: "1.3.0" }  # hand-written\n');
    // Outside the rollout line and the inserted version, nothing changed.
    const outside = (t: string) => t.replace(/ {6}rollout: .*\n/, "").replace(/ {8}"1\.3\.0":\n(?: {10}.*\n)+/, "");
    expect(outside(done)).toBe(outside(prod));
  });

  it("#9 a CRLF stack file stays CRLF through advance and promote", () => {
    const crlf = (t: string) => t.replace(/\n/g, "\r\n");
    const dir = readyToPromote(crlf(DEV), crlf(PROD));
    promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: "prod" });
    rolloutAdvance({ dir, stack: "prod", model: MODEL, evidence: healthy(dir, "prod") });
    for (const stack of ["dev", "prod"]) {
      const text = fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");
      expect(text.match(/(?<!\r)\n/g), `${stack}: a bare LF`).toBeNull();
      expect(text.split("\r\n").length).toBeGreaterThan(100);
    }
  });

  it("#10 a rollout anchor shared with another model is refused, naming both models, and nothing is written", () => {
    const dev = replaced(
      replaced(DEV, '      rollout:\n        stable: "1.2.0"\n', '      rollout: &sa-rollout\n        stable: "1.2.0"\n'),
      /(gemma-chat:[\s\S]*?)      rollout:\n        stable: "1\.0\.0"\n        candidate: "1\.1\.0"\n        stage: canary\n/,
      "$1      rollout: *sa-rollout\n",
    );
    // The shared rollout must be valid for both models for the file to validate: 1.2.0/1.3.0 of gemma-chat.
    const shared = replaced(replaced(dev, '        "1.0.0":\n          artifactUri: gemma-chat', '        "1.2.0":\n          artifactUri: gemma-chat'), '        "1.1.0":\n          artifactUri: gemma-chat', '        "1.3.0":\n          artifactUri: gemma-chat');
    const dir = project({ dev: shared, prod: PROD });
    const before = stackFile(dir, "dev");
    for (const model of [MODEL, "gemma-chat"]) {
      const message = error(() => rolloutAdvance({ dir, stack: "dev", model }));
      expect(message).toMatch(/anchor &sa-rollout|alias \*sa-rollout/);
      expect(message).toContain("model support-assistant");
      expect(message).toContain("model gemma-chat");
    }
    expect(stackFile(dir, "dev")).toBe(before);
  });

  it("#11 promote refuses a version with dev-encrypted secure values, with the command for each, never the ciphertext", () => {
    const dev = replaced(DEV, "            evaluation: { rougeL: 0.44 }\n", "            evaluation: { rougeL: 0.44 }\n          env:\n            API_TOKEN:\n              secure: v1:DEVCIPHERTEXT==\n");
    const dir = readyToPromote(dev, PROD);
    const before = { dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") };
    const message = error(() => promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: "prod" }));
    expect(message).toContain(`pulumi config set --secret --path 'llmops:models.support-assistant.versions["1.3.0"].env.API_TOKEN' <value> --stack prod`);
    expect(message).toContain("dev's key, which prod cannot decrypt");
    expect(message).not.toContain("DEVCIPHERTEXT");
    expect({ dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") }).toEqual(before);
  });

  it("#12 a read-only stack file is refused, never replaced", () => {
    const dir = project({ dev: DEV, prod: PROD });
    const file = path.join(dir, "Pulumi.dev.yaml");
    fs.chmodSync(file, 0o444);
    const message = error(() => rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: healthy(dir, "dev") }));
    expect(message).toMatch(/Pulumi\.dev\.yaml is read-only \(mode 0444\), so nothing was written/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.readFileSync(file, "utf8")).toBe(DEV);
  });

  it("#12 a written stack file keeps its own mode", () => {
    const dir = project({ dev: DEV, prod: PROD });
    const file = path.join(dir, "Pulumi.dev.yaml");
    fs.chmodSync(file, 0o640);
    rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: healthy(dir, "dev") });
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(file, "utf8")).not.toBe(DEV);
  });

  it.each(["/../../outside/x", "<img src=x onerror=alert(1)>", "../prod"])("#13 the stack name %j is refused before any file is touched", (stack) => {
    const dir = project({ dev: DEV, prod: PROD });
    expect(error(() => rolloutAdvance({ dir, stack, model: MODEL }))).toMatch(/is not a stack name/);
    expect(error(() => promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: stack }))).toMatch(/is not a stack name/);
  });

  it("#14 promote writes both files or neither: a failing second rename restores the first", () => {
    const dir = readyToPromote();
    const before = { dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") };
    const source = new StackFileEdit(dir, "dev");
    const target = new StackFileEdit(dir, "prod");
    source.set(["config", "llmops:models", MODEL, "versions", "1.3.0", "released"], "sha256:0000000000000000");
    target.set(["config", "llmops:models", MODEL, "rollout", "candidate"], "1.3.0", { after: "stable" });
    let renames = 0;
    const ops: WriteOps = {
      writeFile: (file, text, mode) => fs.writeFileSync(file, text, { mode }),
      rename: (from, to) => {
        // The second file's rename fails (disk full, a crash of the filesystem, …); undo renames still work.
        if (to.endsWith("Pulumi.prod.yaml") && from.includes("-new-") && ++renames === 1) throw new Error("ENOSPC: no space left on device");
        fs.renameSync(from, to);
      },
      unlink: (file) => fs.rmSync(file, { force: true }),
    };
    expect(() => writeAll([source, target], ops)).toThrow(/could not replace Pulumi\.prod\.yaml \(ENOSPC.*\); nothing was changed/);
    expect({ dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") }).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".llmops-"))).toEqual([]);
  });

  it("#14 a failing temp-file write leaves both files as they were", () => {
    const dir = readyToPromote();
    const before = { dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") };
    const source = new StackFileEdit(dir, "dev");
    const target = new StackFileEdit(dir, "prod");
    source.set(["config", "llmops:models", MODEL, "versions", "1.3.0", "released"], "sha256:0000000000000000");
    target.set(["config", "llmops:models", MODEL, "rollout", "candidate"], "1.3.0", { after: "stable" });
    const ops: WriteOps = {
      writeFile: (file, text, mode) => {
        if (file.includes("Pulumi.prod.yaml")) throw new Error("EIO: i/o error");
        fs.writeFileSync(file, text, { mode });
      },
      rename: (from, to) => fs.renameSync(from, to),
      unlink: (file) => fs.rmSync(file, { force: true }),
    };
    expect(() => writeAll([source, target], ops)).toThrow(/EIO.*nothing was written/);
    expect({ dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") }).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".llmops-"))).toEqual([]);
  });
});
