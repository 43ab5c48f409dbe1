import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../infra/settings";
import { loadStackInputs } from "../../infra/testing/render";
import { ROOT, tempProject } from "../helpers/project";

/**
 * Issue 16's stack-file cases, each the exact input the report tried, through the path
 * `llmops plan --stack` takes before anything renders (`loadStackInputs`): read the file as
 * Pulumi would, validate the whole configuration. Each must be a config error naming the file
 * and key, never a stack trace, never a quoted secret.
 */

const DEV = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");

/** The committed dev stack with `edit` applied to its text (each edit must change it). */
function devWith(...edits: [string | RegExp, string][]): string {
  let text = DEV;
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`edit ${String(from)} changed nothing`);
    text = next;
  }
  return text;
}

function problems(text: string, stack = "s"): ConfigProblem[] {
  const dir = tempProject({ [stack]: text });
  const result = loadStackInputs({ dir, stack });
  if (result.ok) throw new Error("expected the stack to be rejected");
  return result.problems;
}

function problemAt(text: string, key: string): ConfigProblem {
  const all = problems(text);
  const found = all.find((p) => p.key === key);
  if (!found) throw new Error(`no problem at ${key}; problems: ${JSON.stringify(all, null, 1)}`);
  expect(found.file).toBe("Pulumi.s.yaml");
  return found;
}

describe("issue 16: bad stack files are config errors", () => {
  it("the committed dev stack is accepted (the base every case below edits)", () => {
    const dir = tempProject({ s: DEV });
    const result = loadStackInputs({ dir, stack: "s" });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("#1 a YAML alias bomb under config: is a config error naming the key, not 'Excessive alias count' with a trace", () => {
    const ten = (ref: string) => `[${Array(10).fill(`*${ref}`).join(", ")}]`;
    const bomb = ["  llmops:bomb:", "    a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", `    b: &b ${ten("a")}`, `    c: &c ${ten("b")}`, `    d: &d ${ten("c")}`, `    e: &e ${ten("d")}`, `    f: ${ten("e")}`, ""].join("\n");
    const found = problemAt(devWith(["config:\n", `config:\n${bomb}`]), "llmops:bomb");
    expect(found.message).toMatch(/aliases expand too far.*allowed: at most 100 expansions/);
  });

  it.each([200, 600])("#2 a model displayName of %i characters is refused (Vertex AI allows 128)", (n) => {
    const found = problemAt(devWith(["displayName: Customer support assistant", `displayName: ${"x".repeat(n)}`]), "llmops:models.support-assistant.displayName");
    expect(found.message).toMatch(new RegExp(`is ${n} characters long; allowed: at most 128`));
  });

  it("#2 a displayName of exactly 128 characters is accepted, 129 is not", () => {
    const at = (n: number) => devWith(["displayName: Customer support assistant", `displayName: ${"é".repeat(n)}`]);
    const dir = tempProject({ s: at(128) });
    const ok = loadStackInputs({ dir, stack: "s" });
    expect(ok.ok ? [] : ok.problems).toEqual([]);
    expect(problemAt(at(129), "llmops:models.support-assistant.displayName").message).toMatch(/129 characters/);
  });

  it("#3 a plaintext Slack token is refused with the command that sets it as a secret, never quoting it", () => {
    const token = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
    const text = devWith(["      emails: [ml-platform-dev@acme.example]\n", `      emails: [ml-platform-dev@acme.example]\n      slack:\n        channel: "#llmops-dev"\n        authToken: ${token}\n`]);
    const all = problems(text);
    const found = all.find((p) => p.key === "llmops:monitoring.channels.slack.authToken");
    expect(found?.message).toMatch(/not a secure value.*pulumi config set --secret --path 'llmops:monitoring\.channels\.slack\.authToken'/);
    expect(JSON.stringify(all)).not.toContain(token);
    expect(JSON.stringify(all)).not.toContain("xoxb");
  });

  it("#3 the same token as a secure value is accepted", () => {
    const text = devWith(["      emails: [ml-platform-dev@acme.example]\n", `      emails: [ml-platform-dev@acme.example]\n      slack:\n        channel: "#llmops-dev"\n        authToken:\n          secure: v1:AAAA\n`]);
    const dir = tempProject({ s: text });
    const result = loadStackInputs({ dir, stack: "s" });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("#3 an environment variable named like a credential must be secure too", () => {
    const text = devWith(['env: { HF_HUB_OFFLINE: "1" }', 'env: { HF_HUB_OFFLINE: "1", HF_TOKEN: hf_abcdefgh12345678 }']);
    const all = problems(text);
    const found = all.find((p) => p.key === 'llmops:models.gemma-chat.versions["1.0.0"].env.HF_TOKEN');
    expect(found?.message).toMatch(/pulumi config set --secret --path/);
    expect(JSON.stringify(all)).not.toContain("hf_abcdefgh12345678");
  });

  it("#4 a secure value where a plain one belongs says the key is not a secret, not '[secret]'", () => {
    const found = problemAt(devWith(["displayName: Customer support assistant", "displayName: { secure: v1:AAAAbbbb }"]), "llmops:models.support-assistant.displayName");
    expect(found.message).toMatch(/holds a secure value, but this key is not a secret.*pulumi config set --path/);
    expect(found.message).not.toContain("v1:AAAAbbbb");
  });

  it("#5 a bare key and its namespaced twin are one error naming both lines", () => {
    const all = problems(devWith(["  llmops:environment: dev\n", "  llmops:environment: dev\n  environment: staging\n"]));
    expect(all).toEqual([
      { file: "Pulumi.s.yaml", key: "llmops:environment", message: expect.stringMatching(/set twice: line 4 \("llmops:environment"\) and line 5 \("environment"\) both mean llmops:environment/) },
    ]);
  });

  it("#5 one added line `models: {}` does not replace llmops:models", () => {
    const all = problems(devWith(["  llmops:gke:\n", "  models: {}\n  llmops:gke:\n"]));
    expect(all).toHaveLength(1);
    expect(all[0].key).toBe("llmops:models");
    expect(all[0].message).toMatch(/\("llmops:models"\) and line \d+ \("models"\)/);
  });

  it("#5 the old spelling ns:config:key is the same key as well", () => {
    const all = problems(devWith(["  llmops:environment: dev\n", "  llmops:environment: dev\n  llmops:config:environment: dev\n"]));
    expect(all.map((p) => p.key)).toEqual(["llmops:environment"]);
  });

  it.each([
    ["support-assistant@v9-9-9", /names support-assistant@v9-9-9, which is no version of it.*allowed: @v1-2-0 \(1\.2\.0\), @v1-3-0 \(1\.3\.0\), @default/],
    ["no-such-model@v1-2-0", /names model "no-such-model", which llmops:models does not define; allowed: support-assistant/],
    ["gemma-chat@v1-0-0", /served on GKE and has no Model Registry entry/],
  ])("#6 a schedule parameter naming %s is cross-checked against llmops:models", (ref, message) => {
    const found = problemAt(devWith(["models/support-assistant@v1-2-0", `models/${ref}`]), "llmops:pipelines.schedules.nightly-review-sentiment.parameters.model_name");
    expect(found.message).toMatch(message);
  });

  it.each([
    ["0 3 L * *", /"L" is not a day of month/],
    ["0 3 * * 1#2", /"1#2" is not a day of week/],
    ["0 3 ? * MON", /"\?" is not a day of month/],
    ["@daily", /1 field\(s\); allowed: five/],
    ["0 3 * * mon", /names are written in uppercase \(MON\)/],
    ["0 3 * * MON\n0 4 * * TUE", /a cron is one line/],
  ])("#7 the cron %j is refused: Vertex AI documents unix-cron only", (cron, message) => {
    const found = problemAt(devWith(['cron: "30 2 * * *"', `cron: ${JSON.stringify(cron)}`]), "llmops:pipelines.schedules.nightly-review-sentiment.cron");
    expect(found.message).toMatch(message);
  });

  it.each(["*/15 0-6 1,15 JAN-MAR MON-FRI", "0 0 * * 7", "0-30/10 * * * SUN"])("#7 the cron %j is accepted", (cron) => {
    const dir = tempProject({ s: devWith(['cron: "30 2 * * *"', `cron: ${JSON.stringify(cron)}`]) });
    const result = loadStackInputs({ dir, stack: "s" });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it.each([
    ['"/health\\nX-Injected: 1"', "healthRoute"],
    ['"/v1/completions?debug=1"', "predictRoute"],
    ['"/v1 completions"', "predictRoute"],
  ])("#7 the route %s is refused: routes are URL paths", (route, key) => {
    const from = key === "healthRoute" ? "healthRoute: /health" : "predictRoute: /v1/completions";
    const found = problemAt(devWith([from, `${key}: ${route}`]), `llmops:models.support-assistant.versions["1.2.0"].${key}`);
    expect(found.message).toMatch(/expected a URL path/);
  });

  it.each(["/../../outside/x", "<img src=x onerror=alert(1)>", "..", "a/b"])("#13 the stack name %j is refused before any file is read", (stack) => {
    const dir = tempProject({ s: DEV });
    const result = loadStackInputs({ dir, stack });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].key).toBe("--stack");
    expect(result.problems[0].message).toMatch(/is not a stack name.*; allowed: 1-100 letters, digits/);
  });
});
