import { UNKNOWN } from "../../../policies/lib/values";
import { alertPolicy, armorTemplate, deployment, endpoint, modelVersion, nodePool, STAGES, vertexModel } from "../fixtures";
import { view, type PolicyCases } from "../harness";

const record = (over: Record<string, unknown>) => ({ models: { "support-assistant": { platform: "vertex", stable: "1.2.0", split: { "1.2.0": 100 }, stages: STAGES, released: { "1.2.0": "sha256:64468fe28089bed7" }, ...over } } });
const candidate = { candidate: "1.3.0", stage: "canary", split: { "1.2.0": 90, "1.3.0": 10 } };
const devStack = (over: Record<string, unknown>) => view("dev", [endpoint("us-central1", {}, { stack: "dev" })], record(over));
const endpointAlert = (region: string, over = {}) => alertPolicy(`monitoring-model-support-assistant-${region}-errors`, { model: "support-assistant", region, signal: "errors" }, over);
const clusterAlert = alertPolicy("monitoring-accelerators-us-central1-pending-pods", { region: "us-central1", signal: "accelerator-capacity" }, {
  conditions: [{ conditionPrometheusQueryLanguage: { query: 'sum by (cluster) (kube_pod_status_unschedulable{cluster="llmops-prod-us-central1"}) > 0' }, displayName: "unschedulable pods" }],
});

export const rollouts: Readonly<Record<string, PolicyCases>> = {
  "traffic-split-valid": {
    pass: [
      { name: "canary 90/10 over deployed ids", resources: [deployment("us-central1", [{ id: "9759623584", percent: 90 }, { id: "3181297860", version: "1.3.0", percent: 10 }])] },
      { name: "rollback keeps the candidate at 0", resources: [deployment("us-central1", [{ id: "1", percent: 100 }, { id: "2", version: "1.3.0", percent: 0 }])] },
    ],
    fail: [
      { name: "adds up to 110", resources: [deployment("us-central1", [{ id: "1", percent: 100 }, { id: "2", version: "1.3.0", percent: 10 }])], expect: /adds up to 110%; allowed: exactly 100/ },
      { name: "names an undeployed model", resources: [deployment("us-central1", [{ id: "1", percent: 90 }], { trafficSplit: { "1": 90, "7": 10 } })], expect: /sends 10% to 7, which this deployment does not deploy/ },
      { name: "a fractional percent", resources: [deployment("us-central1", [{ id: "1", percent: 99.5 }], { trafficSplit: { "1": 99.5 } })], expect: /whole percents/ },
      { name: "an endpoint's own split", resources: [endpoint("us-central1", { trafficSplit: JSON.stringify({ "1": 50 }) })], expect: /adds up to 50%/ },
    ],
  },
  "prod-canary-weight": {
    pass: [
      { name: "the default 10% canary", resources: [endpoint()], outputs: record(candidate) },
      { name: "from the component's outputs (CrossGuard)", resources: [vertexModel({ stable: "1.2.0" })] },
    ],
    fail: [
      { name: "a 40% first stage", resources: [endpoint()], outputs: record({ stages: [{ name: "canary", weight: 40 }, { name: "full", weight: 100 }] }), expect: /first stage canary sends 40% to the candidate; allowed: at most 25%/ },
      { name: "straight to full", resources: [vertexModel({ stages: [{ name: "full", weight: 100 }] })], expect: /first stage full sends 100%/ },
      { name: "a tighter configured maximum", resources: [endpoint()], outputs: record(candidate), settings: { maxPercent: 5 }, expect: /at most 5%/ },
    ],
  },
  "prod-candidate-from-dev": {
    pass: [
      { name: "no candidate", resources: [endpoint()], outputs: record({}) },
      { name: "a released candidate, dev agrees", resources: [endpoint()], outputs: record({ ...candidate, released: { "1.2.0": "sha256:64468fe28089bed7", "1.3.0": "sha256:0123456789abcdef" } }), otherStacks: [devStack({ stable: "1.3.0", released: { "1.3.0": "sha256:0123456789abcdef" } })] },
      { name: "CrossGuard: the release digest alone", resources: [vertexModel({ ...candidate, released: { "1.3.0": "sha256:0123456789abcdef" } })] },
    ],
    fail: [
      { name: "still at canary in dev", resources: [endpoint()], outputs: record({ ...candidate, released: { "1.3.0": "sha256:0123456789abcdef" } }), otherStacks: [devStack({ ...candidate, released: {} })], expect: /1.3.0 is not fully rolled out in dev \(stack dev: stable 1.2.0, candidate 1.3.0 at canary\)/ },
      { name: "no release digest", resources: [vertexModel({ ...candidate, released: { "1.2.0": "sha256:64468fe28089bed7" } })], expect: /carries no release digest/ },
      { name: "released under another definition", resources: [endpoint()], outputs: record({ ...candidate, released: { "1.3.0": "sha256:ffffffffffffffff" } }), otherStacks: [devStack({ stable: "1.3.0", released: { "1.3.0": "sha256:0123456789abcdef" } })], expect: /the definitions differ/ },
    ],
  },
  "prod-alerts-wired": {
    pass: [
      { name: "endpoint alerts by label, pool alerts by cluster", resources: [endpoint(), endpointAlert("us-central1"), nodePool(), clusterAlert] },
      { name: "channels created in the same preview", resources: [endpoint(), endpointAlert("us-central1", { notificationChannels: UNKNOWN })] },
      { name: "dev pages nobody", stack: "dev", resources: [endpoint("us-central1", {}, { stack: "dev" })] },
    ],
    fail: [
      { name: "an endpoint without alerts", resources: [endpoint("europe-west4"), endpointAlert("us-central1")], expect: /endpoint of support-assistant in europe-west4: no enabled alert policy covers it/ },
      { name: "an alert without channels", resources: [endpoint(), endpointAlert("us-central1", { notificationChannels: [] })], expect: /notifies no channel/ },
      { name: "a disabled alert", resources: [endpoint(), endpointAlert("us-central1", { enabled: false })], expect: /no enabled alert policy/ },
      { name: "an accelerator pool nobody watches", resources: [nodePool(), endpointAlert("us-central1")], expect: /accelerator pool l4-serving in us-central1/ },
    ],
  },
  "model-safety-settings": {
    pass: [
      { name: "a template per region, blocking", resources: [modelVersion("us-central1"), armorTemplate("us-central1"), modelVersion("europe-west4"), armorTemplate("europe-west4")] },
      { name: "dev may only inspect", stack: "dev", resources: [modelVersion("us-central1", {}, { stack: "dev" }), armorTemplate("us-central1", { templateMetadata: { enforcementType: "INSPECT_ONLY" } }, { stack: "dev" })] },
    ],
    fail: [
      { name: "no template", resources: [modelVersion("us-central1", {}, { container: { env: { LLMOPS_PROMPT_TEMPLATE: "{instruction}" } } })], expect: /names no Model Armor template/ },
      { name: "a template in another region", resources: [modelVersion("europe-west4", {}, { container: { env: { MODEL_ARMOR_TEMPLATE: "projects/acme-llmops-prod/locations/us-central1/templates/llmops-support-assistant-1-2-0" } } }), armorTemplate("us-central1")], expect: /in europe-west4 screens through a template in us-central1/ },
      { name: "a template the stack does not define", resources: [modelVersion("us-central1")], expect: /which this stack does not define/ },
      { name: "prompt injection off", resources: [modelVersion(), armorTemplate("us-central1", {}, { filterConfig: { piAndJailbreakFilterSettings: { filterEnforcement: "DISABLED" } } })], expect: /does not detect prompt injection/ },
      { name: "no harm filters", resources: [modelVersion(), armorTemplate("us-central1", {}, { filterConfig: { raiSettings: { raiFilters: [] } } })], expect: /no harm-category \(RAI\) filter/ },
      { name: "prod only inspecting", resources: [modelVersion(), armorTemplate("us-central1", { templateMetadata: { enforcementType: "INSPECT_ONLY" } })], expect: /only inspects \(INSPECT_ONLY\) in prod/ },
    ],
  },
};


