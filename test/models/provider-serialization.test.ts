import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EndpointDeployment, endpointDeploymentProvider } from "../../infra/models/providers/endpoint-deployment";
import { ModelVersion, modelVersionProvider } from "../../infra/models/providers/model-version";
import { providerCode } from "../../infra/common/dynamic-resource";
import { containerImageBuildProvider } from "../../infra/pipelines/images";
import { kfpTemplateProvider } from "../../infra/pipelines/providers/kfp-template";
import { FakeVertex } from "./fake-vertex";
import { deployment, endpointInputs, modelInputs } from "./fixtures";

/**
 * The resources as the engine sees them: their type tokens, and the provider code serialised into
 * `__provider`, which must load on its own (as the dynamic-provider host does with
 * require-from-string) and still work, since that text is what runs on later updates and deletes.
 */

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state = { ...(args.inputs as Record<string, unknown>), name: "projects/p/locations/us-central1/models/m@7", versionId: "7" };
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    "llmops",
    "test",
    true,
  );
});

function settle<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

function providerText(type: string): string {
  const found = registered.find((r) => r.type === type);
  if (typeof found?.inputs.__provider !== "string") throw new Error(`no serialised provider for ${type}`);
  return found.inputs.__provider;
}

describe("dynamic resources under mocks", () => {

  let fake: FakeVertex;
  beforeAll(async () => {
    fake = await FakeVertex.start({ operationPolls: 0 });
  });
  afterAll(async () => fake.close());

  it("registers ModelVersion as pulumi-nodejs:dynamic/vertex:ModelVersion with its inputs", async () => {
    const version = new ModelVersion("support-llm-1-0-0", modelInputs(fake, "1.0.0"));
    expect(await settle(version.versionId)).toBe("7");
    expect(await settle(version.name)).toBe("projects/p/locations/us-central1/models/m@7");
    const r = registered.find((x) => x.name === "support-llm-1-0-0");
    expect(r?.type).toBe("pulumi-nodejs:dynamic/vertex:ModelVersion");
    expect(r?.inputs).toMatchObject({ modelId: "support-llm", version: "1.0.0", artifactUri: "gs://llmops-test-models/support-llm/1.0.0" });
  });

  it("registers EndpointDeployment as pulumi-nodejs:dynamic/vertex:EndpointDeployment, resolving nested outputs", async () => {
    const model = pulumi.output("projects/llmops-test/locations/us-central1/models/support-llm@1");
    const d = deployment("projects/llmops-test/locations/us-central1/models/support-llm@1", "1.0.0");
    const args = endpointInputs(fake, "4242", [], { [d.deployedModelId]: 100 });
    const resource = new EndpointDeployment("support-llm-prod", { ...args, deployments: [{ ...d, model }] });
    await settle(resource.urn);
    const r = registered.find((x) => x.name === "support-llm-prod");
    expect(r?.type).toBe("pulumi-nodejs:dynamic/vertex:EndpointDeployment");
    expect(r?.inputs.deployments).toEqual([d]);
    expect(r?.inputs.trafficSplit).toEqual({ [d.deployedModelId]: 100 });
  });

  it("serialises providers that capture no client, credentials or Pulumi SDK", () => {
    for (const type of ["pulumi-nodejs:dynamic/vertex:ModelVersion", "pulumi-nodejs:dynamic/vertex:EndpointDeployment"]) {
      const text = providerText(type);
      // The client's own module, not the package's index (which loads 61 MB of protos.js: aiplatform.ts).
      expect(text).toContain('require("@google-cloud/aiplatform/build/src/v1/');
      expect(text).not.toContain('require("@google-cloud/aiplatform")');
      expect(text).not.toMatch(/EndpointServiceClient\s*\{|OAuth2Client\s*\{|refresh_token|private_key/);
      expect(text).not.toMatch(/require\("@pulumi\/pulumi"\)/);
      expect(text.length).toBeLessThan(120_000);
    }
  });

  it("runs the serialised EndpointDeployment provider against the fake", async () => {
    const provider = require("require-from-string")(providerText("pulumi-nodejs:dynamic/vertex:EndpointDeployment")).handler();
    const modelProvider = require("require-from-string")(providerText("pulumi-nodejs:dynamic/vertex:ModelVersion")).handler();
    const endpoint = fake.createEndpoint("77");
    const { outs: v1 } = await modelProvider.create(modelInputs(fake, "1.0.0"));
    const d = deployment(v1.name, "1.0.0");
    const inputs = endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 });
    expect((await provider.check(inputs, inputs)).failures).toEqual([]);
    const { outs } = await provider.create(inputs);
    expect(outs.trafficSplit).toEqual({ [d.deployedModelId]: 100 });
    expect(fake.endpoints.get("77").deployedModels.map((m) => m.id)).toEqual([d.deployedModelId]);
  });
});

/** The SDK's own serialisation of a provider, once per provider (each is seconds of parsing). */
const serialised = new Map<object, ReturnType<typeof pulumi.runtime.serializeFunction>>();
function sdkSerialised(provider: object): ReturnType<typeof pulumi.runtime.serializeFunction> {
  let text = serialised.get(provider);
  if (!text) serialised.set(provider, (text = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })));
  return text;
}

describe("provider code kept between runs", () => {
  // All four providers, whether their text comes from this process, the disk, or a fresh serialisation.
  it.each([
    ["vertex:ModelVersion", modelVersionProvider],
    ["vertex:EndpointDeployment", endpointDeploymentProvider],
    ["artifactregistry:KfpTemplate", kfpTemplateProvider],
    ["cloudbuild:ContainerImageBuild", containerImageBuildProvider],
  ] as const)("gives %s's code exactly as the SDK serialises it", async (type, provider) => {
    const sdk = await sdkSerialised(provider);
    expect(await settle(providerCode(provider, type))).toBe(sdk.text);
  });

  // infra/common/dynamic-resource.ts keeps serialised provider code between runs: what it sends
  // must be what pulumi.dynamic.Resource would send, whether kept from an earlier run or not.
  it.each([
    ["vertex:ModelVersion", "pulumi-nodejs:dynamic/vertex:ModelVersion", modelVersionProvider],
    ["vertex:EndpointDeployment", "pulumi-nodejs:dynamic/vertex:EndpointDeployment", endpointDeploymentProvider],
  ] as const)("sends %s's code exactly as the SDK serialises it", async (_what, type, provider) => {
    const sdk = await sdkSerialised(provider);
    expect(sdk.containsSecrets).toBe(false);
    // registered by the tests above
    expect(providerText(type)).toBe(sdk.text);
  });
});
