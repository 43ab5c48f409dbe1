import { describe, expect, it } from "vitest";
import { resolveConnection, sharedClient } from "../../infra/models/providers/connection";

/** The Vertex AI providers' clients are shared per process (connection.ts); never across what tells them apart. */
describe("sharedClient", () => {
  const built: string[] = [];
  const client = (service: string, region: string, conn: Parameters<typeof resolveConnection>[1]) =>
    sharedClient(service, resolveConnection(region, conn).clientOptions, () => {
      const made = { service, n: built.length };
      built.push(service);
      return made;
    });

  it("builds one client per service, host, port, protocol and credentials mode, and reuses it", () => {
    const unique = `t${Date.now()}`;
    const a = client(`${unique}-Endpoint`, "us-central1", {});
    expect(client(`${unique}-Endpoint`, "us-central1", {})).toBe(a);
    const others = [
      client(`${unique}-Model`, "us-central1", {}),
      client(`${unique}-Endpoint`, "europe-west4", {}),
      client(`${unique}-Endpoint`, "us-central1", { apiEndpoint: "localhost:8080", protocol: "http", credentials: "anonymous" }),
      client(`${unique}-Endpoint`, "us-central1", { apiEndpoint: "localhost:8081", protocol: "http", credentials: "anonymous" }),
      client(`${unique}-Endpoint`, "us-central1", { apiEndpoint: "localhost:8080", credentials: "anonymous" }),
      client(`${unique}-Endpoint`, "us-central1", { apiEndpoint: "localhost:8080" }),
    ];
    expect(new Set([a, ...others]).size).toBe(7);
    // and each again is the same one
    expect(client(`${unique}-Endpoint`, "us-central1", { apiEndpoint: "localhost:8081", protocol: "http", credentials: "anonymous" })).toBe(others[3]);
  });
});
