/**
 * The parts of `@google-cloud/aiplatform` the providers use, loaded without the package's index.
 *
 * The index loads both API versions' ~40 clients and `build/protos/protos.js`: 61 MB of
 * generated JavaScript, seconds of CPU in every process that loads it (each `pulumi up` provider
 * process, each test thread), which nothing here uses: the clients encode and decode with the
 * descriptors of `build/protos/protos.json`, and the accelerator names are read from there too.
 * The package has no `exports` map, so these paths are its published files (6.x layout); the
 * typecheck resolves each against its declaration file.
 *
 * Each is a function, called where the provider runs: a provider's serialised code requires the
 * module then, and captures no client (endpoint-deployment.ts).
 */
import type { EndpointServiceClient } from "@google-cloud/aiplatform/build/src/v1/endpoint_service_client";
import type { ModelServiceClient } from "@google-cloud/aiplatform/build/src/v1/model_service_client";

export function endpointServiceClient(): typeof EndpointServiceClient {
  return (require("@google-cloud/aiplatform/build/src/v1/endpoint_service_client") as typeof import("@google-cloud/aiplatform/build/src/v1/endpoint_service_client")).EndpointServiceClient;
}

export function modelServiceClient(): typeof ModelServiceClient {
  return (require("@google-cloud/aiplatform/build/src/v1/model_service_client") as typeof import("@google-cloud/aiplatform/build/src/v1/model_service_client")).ModelServiceClient;
}

type Namespace = { nested?: Record<string, Namespace>; values?: Record<string, number> };

/** `google.cloud.aiplatform.v1.AcceleratorType`: each name and its number, as the client's descriptors have them. */
export function acceleratorTypes(): Readonly<Record<string, number>> {
  const root = require("@google-cloud/aiplatform/build/protos/protos.json") as Namespace;
  const values = ["google", "cloud", "aiplatform", "v1", "AcceleratorType"].reduce<Namespace | undefined>((ns, name) => ns?.nested?.[name], root)?.values;
  if (!values) throw new Error("@google-cloud/aiplatform: build/protos/protos.json has no google.cloud.aiplatform.v1.AcceleratorType");
  return values;
}
