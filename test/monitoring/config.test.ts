import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../infra/common/secret";
import { parseStackConfig } from "../../infra/settings";
import { DEFAULT_SLO } from "../../infra/monitoring/config";
import { committedConfig } from "../helpers/project";

const IMAGE = `vllm-server@sha256:${"a".repeat(64)}`;
const TOKEN = "xoxb-2024-0000-do-not-print";

function model(over: Record<string, unknown> = {}) {
  return {
    versions: { "1.0.0": { artifactUri: "chat/1.0.0/", image: IMAGE, promptTemplate: "{prompt}", safety: { harmCategories: { hateSpeech: "MEDIUM_AND_ABOVE" } } } },
    serving: { regions: ["us-central1"], machineType: "g2-standard-12", accelerator: { type: "NVIDIA_L4", count: 1 }, minReplicas: 1, maxReplicas: 2 },
    rollout: { stable: "1.0.0" },
    slo: { availability: 99.5, latencyP99Ms: 2000 },
    ...over,
  };
}

/** A dev stack (or prod, with released versions left out of the picture) with one model. */
function parse(options: { monitoring?: unknown; models?: Record<string, unknown>; environment?: string } = {}) {
  const environment = options.environment ?? "dev";
  const flat: Record<string, string> = {
    "gcp:project": `acme-llmops-${environment}`,
    "llmops:environment": environment,
    "llmops:regions": '["us-central1"]',
    "llmops:models": JSON.stringify(options.models ?? { chat: model() }),
  };
  if (options.monitoring !== undefined) flat["llmops:monitoring"] = JSON.stringify(options.monitoring);
  return parseStackConfig(flat, environment);
}

function problemAt(options: Parameters<typeof parse>[0], key: string): string {
  const result = parse(options);
  if (result.ok) throw new Error("expected the configuration to be rejected");
  const found = result.problems.find((p) => p.key === key);
  if (!found) throw new Error(`no problem at ${key}; problems: ${JSON.stringify(result.problems, null, 1)}`);
  expect(found.file).toBe(`Pulumi.${options?.environment ?? "dev"}.yaml`);
  return found.message;
}

const slack = (over: Record<string, unknown> = {}) => ({ channel: "#llmops-alerts", authToken: TOKEN, ...over });

describe("llmops:monitoring and the model slo: accepted input", () => {
  it("accepts both committed stacks", () => {
    for (const stack of ["dev", "prod"]) {
      const result = parseStackConfig(committedConfig(stack), stack);
      expect(result.ok ? [] : result.problems).toEqual([]);
    }
  });

  it("defaults to no channels and the documented thresholds when the key is absent", () => {
    const result = parse();
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect({ channels: result.settings.monitoring.channels, defaults: result.settings.monitoring.defaults }).toEqual({
      channels: { emails: [] },
      defaults: { errorRatePercent: 1, safetyBlockedPercent: 5, replicaSaturationPercent: 90, acceleratorIdlePercent: 15, pendingPodsMinutes: 30 },
    });
  });

  it("routes PagerDuty to CRITICAL and Slack to every severity unless told otherwise", () => {
    const result = parse({ monitoring: { channels: { slack: slack(), pagerduty: { serviceKey: "k" } } } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.settings.monitoring.channels.slack?.minSeverity).toBe("WARNING");
    expect(result.settings.monitoring.channels.pagerduty?.minSeverity).toBe("CRITICAL");
  });

  it("lets a model override the stack's thresholds, key by key", () => {
    const result = parse({ monitoring: { defaults: { errorRatePercent: 2 } }, models: { chat: model({ alerts: { safetyBlockedPercent: 20 } }) } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.settings.monitoring.models.chat.thresholds).toEqual({ errorRatePercent: 2, safetyBlockedPercent: 20, replicaSaturationPercent: 90 });
  });

  it("gives a model without an slo the loose default outside prod", () => {
    const result = parse({ models: { chat: model({ slo: undefined }) } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.settings.monitoring.models.chat.slo).toEqual(DEFAULT_SLO);
  });
});

describe("secret channel credentials", () => {
  const parsed = () => {
    const result = parse({ monitoring: { channels: { slack: slack(), pagerduty: { serviceKey: "pd-integration-key-0001" } } } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.settings;
  };

  it("holds tokens in a Secret that prints, logs and serialises as [secret]", () => {
    const token = parsed().monitoring.channels.slack!.authToken;
    expect(token).toBeInstanceOf(Secret);
    expect(String(token)).toBe("[secret]");
    expect(`${token}`).toBe("[secret]");
    expect(inspect(token)).toBe("Secret([secret])");
    expect(JSON.stringify({ token })).toBe('{"token":"[secret]"}');
    expect({ ...token }).toEqual({});
  });

  it("never lets the settings as a whole reveal a token", () => {
    const settings = parsed();
    for (const text of [JSON.stringify(settings), inspect(settings, { depth: 20 })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("pd-integration-key-0001");
    }
  });

  it("does not quote a token in an error message about its channel", () => {
    const result = parse({ environment: "prod", monitoring: { channels: { slack: slack({ channel: "Not A Channel!" }), pagerduty: { serviceKey: "" } } } });
    if (result.ok) throw new Error("expected problems");
    expect(result.problems.length).toBeGreaterThan(0);
    for (const p of result.problems) expect(p.message).not.toContain(TOKEN);
  });
});

describe("llmops:monitoring and the model slo: rejected input", () => {
  const models = (slo: unknown) => ({ chat: model({ slo }) });
  const at = (path: string) => `llmops:models.chat.${path}`;

  it.each([
    ["availability of 100 (no error budget)", { models: models({ availability: 100, latencyP99Ms: 2000 }) }, at("slo.availability"), /leaves an error budget.*allowed: a percentage above 90 and below 100/],
    ["availability of 90", { models: models({ availability: 90, latencyP99Ms: 2000 }) }, at("slo.availability"), /above 90/],
    ["availability as a fraction", { models: models({ availability: 0.995, latencyP99Ms: 2000 }) }, at("slo.availability"), /allowed: a percentage above 90 and below 100, such as 99.5/],
    ["availability as text", { models: models({ availability: "high", latencyP99Ms: 2000 }) }, at("slo.availability"), /got string "high"; expected a number/],
    ["a negative latency budget", { models: models({ availability: 99.5, latencyP99Ms: -200 }) }, at("slo.latencyP99Ms"), /allowed: a whole number above 0/],
    ["a zero latency budget", { models: models({ availability: 99.5, latencyP99Ms: 0 }) }, at("slo.latencyP99Ms"), /allowed: a whole number above 0/],
    ["a fractional latency budget", { models: models({ availability: 99.5, latencyP99Ms: 1.5 }) }, at("slo.latencyP99Ms"), /got number 1.5; expected a whole number/],
    ["a latency budget past the prediction timeout", { models: models({ availability: 99.5, latencyP99Ms: 900_000 }) }, at("slo.latencyP99Ms"), /at most 600000/],
    ["an slo without a latency budget", { models: models({ availability: 99.5 }) }, at("slo.latencyP99Ms"), /missing; expected a number/],
    ["an unknown slo key", { models: models({ availability: 99.5, latencyP99Ms: 2000, latencyP95Ms: 900 }) }, at("slo.latencyP95Ms"), /unknown key;.*allowed: availability, latencyP99Ms/],
    ["an unknown channel kind", { monitoring: { channels: { teams: { webhook: "x" } } } }, "llmops:monitoring.channels.teams", /unknown key; allowed: emails, slack, pagerduty/],
    ["a Slack channel without its token", { monitoring: { channels: { slack: { channel: "#alerts" } } } }, "llmops:monitoring.channels.slack.authToken", /Slack bot token as a secure value; set it with: pulumi config set --secret --path 'llmops:monitoring.channels.slack.authToken'/],
    ["an empty Slack token", { monitoring: { channels: { slack: slack({ authToken: "" }) } } }, "llmops:monitoring.channels.slack.authToken", /the Slack bot token is empty/],
    ["a Slack channel name with capitals and spaces", { monitoring: { channels: { slack: slack({ channel: "LLMOps Alerts" }) } } }, "llmops:monitoring.channels.slack.channel", /expected a Slack channel name such as #llmops-alerts/],
    ["PagerDuty without its key", { monitoring: { channels: { pagerduty: {} } } }, "llmops:monitoring.channels.pagerduty.serviceKey", /PagerDuty integration key as a secure value/],
    ["an unknown severity", { monitoring: { channels: { pagerduty: { serviceKey: "k", minSeverity: "CRITICIAL" } } } }, "llmops:monitoring.channels.pagerduty.minSeverity", /"CRITICIAL" is not allowed \(did you mean "CRITICAL"\?\); allowed: WARNING, ERROR, CRITICAL/],
    ["an email address without a domain", { monitoring: { channels: { emails: ["oncall"] } } }, "llmops:monitoring.channels.emails[0]", /expected an email address/],
    ["an email address listed twice", { monitoring: { channels: { emails: ["a@acme.example", "A@acme.example"] } } }, "llmops:monitoring.channels.emails[1]", /listed twice \(first at \[0\]\)/],
    ["an error rate above 100%", { monitoring: { defaults: { errorRatePercent: 150 } } }, "llmops:monitoring.defaults.errorRatePercent", /percentage above 0 and at most 100/],
    ["a zero safety threshold", { models: { chat: model({ alerts: { safetyBlockedPercent: 0 } }) } }, at("alerts.safetyBlockedPercent"), /percentage above 0/],
    ["an unknown default", { monitoring: { defaults: { latencyMs: 10 } } }, "llmops:monitoring.defaults.latencyMs", /unknown key;.*allowed: errorRatePercent/],
    ["too short a pending-pods wait", { monitoring: { defaults: { pendingPodsMinutes: 1 } } }, "llmops:monitoring.defaults.pendingPodsMinutes", /at least 5/],
    ["a model saturation threshold at the autoscaling target", { models: { chat: model({ alerts: { replicaSaturationPercent: 60 } }) } }, at("alerts.replicaSaturationPercent"), /60% is not above chat's autoscaling target of 60%.*allowed: a percentage above 60/],
    ["a default saturation threshold below a model's target", { monitoring: { defaults: { replicaSaturationPercent: 70 } }, models: { chat: model({ serving: { ...model().serving, autoscaling: { metric: "accelerator-duty-cycle", target: 80 } } }) } }, "llmops:monitoring.defaults.replicaSaturationPercent", /70% is not above chat's autoscaling target of 80%/],
  ])("rejects %s", (_what, options, key, message) => {
    expect(problemAt(options, key)).toMatch(message);
  });

  it("requires at least one channel in a prod stack that serves models", () => {
    expect(problemAt({ environment: "prod", monitoring: { channels: { emails: [] } } }, "llmops:monitoring.channels")).toMatch(
      /prod serves models or accelerator pools, and their alerts must reach someone; allowed: at least one of emails, slack, pagerduty/,
    );
  });

  it("lets a bare prod platform stack (no models, no GKE) go without channels", () => {
    const result = parse({ environment: "prod", models: {} });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("requires prod models to state their objective", () => {
    expect(problemAt({ environment: "prod", models: { chat: model({ slo: undefined }) }, monitoring: { channels: { emails: ["a@acme.example"] } } }, "llmops:models.chat.slo")).toMatch(
      /prod models state their own objective.*allowed: slo: \{ availability/,
    );
  });

  it("reports every monitoring problem at once", () => {
    const result = parse({ monitoring: { channels: { emails: ["x"], slack: { channel: "#a" } }, defaults: { errorRatePercent: -1 } }, models: models({ availability: 100, latencyP99Ms: -1 }) });
    if (result.ok) throw new Error("expected problems");
    expect(result.problems.map((p) => p.key).sort()).toEqual([
      "llmops:models.chat.slo.availability",
      "llmops:models.chat.slo.latencyP99Ms",
      "llmops:monitoring.channels.emails[0]",
      "llmops:monitoring.channels.slack.authToken",
      "llmops:monitoring.defaults.errorRatePercent",
    ]);
  });
});
