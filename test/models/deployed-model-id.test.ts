import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deployedModelId, deploymentShapeKey } from "../../infra/models/providers/deployed-model-id";

const L4 = { machineType: "g2-standard-12", acceleratorType: "NVIDIA_L4", acceleratorCount: 1 };

describe("deployedModelId", () => {
  it("is stable across runs and machines (a change here redeploys every model)", () => {
    expect(deployedModelId("support-llm", "1.0.0", deploymentShapeKey(L4))).toBe("4939768981");
  });

  it("is always 10 digits without a leading zero, and deterministic", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (model, version, shape) => {
        const id = deployedModelId(model, version, shape);
        expect(id).toMatch(/^[1-9][0-9]{9}$/);
        expect(deployedModelId(model, version, shape)).toBe(id);
      }),
    );
  });

  it("differs for another version, model or shape, including ambiguous concatenations", () => {
    const base = deployedModelId("support-llm", "1.0.0", "s");
    expect(deployedModelId("support-llm", "1.0.1", "s")).not.toBe(base);
    expect(deployedModelId("support-llm-2", "1.0.0", "s")).not.toBe(base);
    expect(deployedModelId("support-llm", "1.0.0", "t")).not.toBe(base);
    expect(deployedModelId("ab", "c", "s")).not.toBe(deployedModelId("a", "bc", "s"));
  });

  it("rejects empty parts", () => {
    expect(() => deployedModelId("", "1.0.0", "s")).toThrow(/needs a model, a version and a shape key/);
    expect(() => deployedModelId("m", "1.0.0", "")).toThrow(/needs a model, a version and a shape key/);
  });
});

describe("deploymentShapeKey", () => {
  it("covers every setting Vertex AI cannot change on a deployed model", () => {
    const keys = new Set([
      deploymentShapeKey(L4),
      deploymentShapeKey({ ...L4, machineType: "g2-standard-24" }),
      deploymentShapeKey({ ...L4, acceleratorCount: 2 }),
      deploymentShapeKey({ ...L4, acceleratorType: "NVIDIA_H100_80GB" }),
      deploymentShapeKey({ ...L4, serviceAccount: "serving@p.iam.gserviceaccount.com" }),
      deploymentShapeKey({ machineType: "n1-standard-8" }),
    ]);
    expect(keys.size).toBe(6);
    expect(deploymentShapeKey(L4)).toBe("g2-standard-12/NVIDIA_L4x1/default-sa");
    expect(deploymentShapeKey({ machineType: "n1-standard-8" })).toBe("n1-standard-8/cpu/default-sa");
  });

  it("treats an unset accelerator count as 1", () => {
    expect(deploymentShapeKey({ machineType: "g2-standard-12", acceleratorType: "NVIDIA_L4" })).toBe(deploymentShapeKey(L4));
  });
});
