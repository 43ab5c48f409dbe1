import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

/**
 * Every image digest in a committed stack file, and where it comes from. A digest must be a
 * published one with its source cited, or be named here as an example the team replaces, with the
 * reason; a new digest that is neither fails, so an invented one cannot slip into an example.
 */
const DIGESTS: Readonly<Record<string, { readonly image: string; readonly source: string } | { readonly image: string; readonly example: string }>> = {
  "sha256:1d6866b87630d94f5e0cdae55ab5abb4ce0b03fcb84d9d10612f9d518d19d4fd": {
    image: "docker.io/vllm/vllm-openai:v0.14.0 (multi-platform manifest)",
    source: "https://github.com/tinfoilsh/vllm-openai-audio/blob/51b771af57e7e8591085a2388c0ae7ad23e30b20/Dockerfile",
  },
  "sha256:0a46fc528eab5a247880901cfecfc5a7eee72a5bed004035fd8a3280beac1a2e": {
    image: "a mirror of gcr.io/gke-release/custom-metrics-stackdriver-adapter",
    example: "Google publishes the adapter by tag only; the stack files say to replace it with the mirror's digest",
  },
};

const STACK_FILES = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f) && f !== "Pulumi.yaml");

function digestsIn(text: string): { digest: string; line: number }[] {
  return text.split(/\r?\n/).flatMap((l, i) => [...l.matchAll(/sha256:[0-9a-f]{64}/g)].map((m) => ({ digest: m[0], line: i + 1 })));
}

describe("image digests in the committed stack files", () => {
  it("are each cited, or named as an example with the reason", () => {
    const unknown = STACK_FILES.flatMap((f) => digestsIn(fs.readFileSync(path.join(ROOT, f), "utf8")).filter((d) => !(d.digest in DIGESTS)).map((d) => `${f}:${d.line} ${d.digest}`));
    expect(unknown).toEqual([]);
  });

  it("finds the digests there are, so the check above can fail", () => {
    expect(STACK_FILES).toEqual(["Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
    const found = STACK_FILES.flatMap((f) => digestsIn(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(digestsIn(`image: x@sha256:${"ab".repeat(32)}\n`)).toEqual([{ digest: `sha256:${"ab".repeat(32)}`, line: 1 }]);
  });

  it("an example digest is marked as one in every stack file that uses it", () => {
    for (const [digest, entry] of Object.entries(DIGESTS)) {
      if (!("example" in entry)) continue;
      for (const f of STACK_FILES) {
        const lines = fs.readFileSync(path.join(ROOT, f), "utf8").split(/\r?\n/);
        const at = lines.findIndex((l) => l.includes(digest));
        if (at < 0) continue;
        expect(lines.slice(Math.max(0, at - 4), at).join("\n"), `${f}:${at + 1}`).toMatch(/EXAMPLE DIGEST/);
      }
    }
  });
});
