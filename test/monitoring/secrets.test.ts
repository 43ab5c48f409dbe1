import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ofType, planJson, type Plan } from "../../lib/plan";
import { ROOT, committedConfig } from "../helpers/project";
import { render, renderCommitted } from "../helpers/render";

const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";
// What `pulumi up` would hand the program after decrypting the stack's secure values.
const DECRYPTED = { slack: "xoxb-417-decrypted-slack-token", pagerduty: "0123456789abcdef-decrypted-pd-key" };

/** Every `secure:` ciphertext in a committed stack file. */
function ciphertexts(stack: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "secure" && typeof value === "string") found.push(value);
        else walk(value);
      }
    }
  };
  walk(parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")));
  return found;
}

let committed: Plan;
let decrypted: Plan;

beforeAll(async () => {
  const config = committedConfig("prod");
  const monitoring = JSON.parse(config["llmops:monitoring"]);
  monitoring.channels.slack.authToken = DECRYPTED.slack;
  monitoring.channels.pagerduty.serviceKey = DECRYPTED.pagerduty;
  const [plans, variant] = await Promise.all([renderCommitted("prod"), render({ dir: ROOT, stack: "prod", config: { ...config, "llmops:monitoring": JSON.stringify(monitoring) } })]);
  if (!variant.ok) throw new Error(JSON.stringify(variant));
  committed = plans.prod;
  decrypted = variant.plan;
});

describe("channel credentials in the prod plan", () => {
  it("commits Slack and PagerDuty credentials only as secure values", () => {
    expect(ciphertexts("prod")).toHaveLength(2);
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8");
    expect(text).toMatch(/authToken:\n\s+secure: \S+/);
    expect(text).toMatch(/serviceKey:\n\s+secure: \S+/);
  });

  it("never contains a committed ciphertext", () => {
    const text = planJson(committed);
    for (const ciphertext of ciphertexts("prod")) expect(text).not.toContain(ciphertext);
  });

  it("shows the channels' sensitive labels as [secret]", () => {
    const byType = Object.fromEntries(ofType(committed, CHANNEL).map((c) => [c.inputs.type, c.inputs]));
    expect(byType.slack.sensitiveLabels).toEqual({ authToken: "[secret]" });
    expect(byType.pagerduty.sensitiveLabels).toEqual({ serviceKey: "[secret]" });
    expect(byType.slack.labels).toEqual({ channel_name: "#llmops-prod-alerts" });
  });

  // The offline render receives "[secret]" for secure values, so the test above would pass even
  // if the program forgot to wrap them. Here the program gets what `pulumi up` gets: plaintext.
  it("wraps decrypted credentials as Pulumi secrets, so no plan or output ever holds them", () => {
    const text = planJson(decrypted);
    expect(text).not.toContain(DECRYPTED.slack);
    expect(text).not.toContain(DECRYPTED.pagerduty);
    const slack = ofType(decrypted, CHANNEL).find((c) => c.inputs.type === "slack")!;
    const pagerduty = ofType(decrypted, CHANNEL).find((c) => c.inputs.type === "pagerduty")!;
    expect(slack.inputs.sensitiveLabels).toEqual({ authToken: "[secret]" });
    expect(pagerduty.inputs.sensitiveLabels).toEqual({ serviceKey: "[secret]" });
  });
});
