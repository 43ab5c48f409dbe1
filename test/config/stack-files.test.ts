import { describe, expect, it } from "vitest";
import { readProjectFile, readStackFile } from "../../infra/testing/stack-files";
import { ROOT, tempProject } from "../helpers/project";

describe("reading stack files as Pulumi hands them to the program", () => {
  const dir = tempProject({
    s: [
      "config:",
      "  gcp:project: acme-llmops-dev",
      "  llmops:environment: dev",
      "  llmops:regions: [us-central1]",
      "  llmops:labels:",
      "    team: ml",
      "  gcp:accessToken:",
      "    secure: v1:abc",
      "",
    ].join("\n"),
  });

  it("JSON-encodes structured values and applies project-level defaults", () => {
    const project = readProjectFile(dir);
    if (!project.ok) throw new Error("project file");
    const stack = readStackFile(dir, "s", project.value);
    if (!stack.ok) throw new Error(JSON.stringify(stack.problems));
    expect(stack.value.config["llmops:regions"]).toBe('["us-central1"]');
    expect(stack.value.config["llmops:labels"]).toBe('{"team":"ml"}');
    expect(stack.value.config["llmops:storage"]).toBe("{}");
  });

  it("replaces secure values with [secret] and marks their keys secret", () => {
    const project = readProjectFile(ROOT);
    if (!project.ok) throw new Error("project file");
    const stack = readStackFile(dir, "s", project.value);
    if (!stack.ok) throw new Error("stack file");
    expect(stack.value.config["gcp:accessToken"]).toBe("[secret]");
    expect(stack.value.secretKeys).toEqual(["gcp:accessToken"]);
    expect(JSON.stringify(stack.value)).not.toContain("v1:abc");
  });

  it("reports broken YAML with its line", () => {
    const broken = tempProject({ b: "config:\n  llmops:regions: [us-central1\n" });
    const project = readProjectFile(broken);
    if (!project.ok) throw new Error("project file");
    const stack = readStackFile(broken, "b", project.value);
    expect(stack.ok).toBe(false);
    if (!stack.ok) expect(stack.problems[0]).toMatchObject({ file: "Pulumi.b.yaml", key: expect.stringMatching(/^line \d+, column \d+$/) });
  });
});
