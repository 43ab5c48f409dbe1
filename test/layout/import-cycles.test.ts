/**
 * No import cycles, type-only imports included. ESLint's import-x/no-cycle (eslint.config.mjs)
 * skips `import type` unconditionally (v4.18.1 has no option to count them), yet a cycle of types
 * is still modules that cannot be read, or layered, apart. This builds the project's import graph
 * with the TypeScript compiler's own pre-processor (every import, export-from, `import type`,
 * `import()` and require) and fails on any strongly connected component, naming its files.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const FOLDERS = ["infra", "pipelines", "cli", "policies", "lib"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The project file a relative specifier names (`./x` → x.ts or x/index.ts); undefined for packages. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(js|ts)$/, "");
  return [`${stem}.ts`, path.join(base, "index.ts")].find((candidate) => files.has(candidate));
}

/** file → the project files it imports, in any form. */
export function importGraph(files: readonly string[], read: (file: string) => string): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(read(file), true, true);
    const targets = importedFiles.map((ref) => resolveSpecifier(file, ref.fileName, known)).filter((target): target is string => target !== undefined && target !== file);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan), each sorted, in file order. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
        onStack.delete(member);
        component.push(member);
        if (member === node) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe("import cycles", () => {
  it("finds none in infra/, pipelines/, cli/, policies/ and lib/, type-only imports included", () => {
    const files = FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)));
    expect(files.length).toBeGreaterThan(100);
    const graph = importGraph(files, (file) => fs.readFileSync(file, "utf8"));
    const named = cycles(graph).map((component) => component.map((file) => path.relative(ROOT, file)));
    expect(named).toEqual([]);
  });

  // The detector itself: a cycle of `import type` and re-exports only is still reported.
  it("reports a cycle made only of type imports and re-exports, naming its files", () => {
    const sources: Record<string, string> = {
      "/p/a.ts": 'import type { B } from "./b";\nexport interface A { b: B }',
      "/p/b.ts": 'export type { C as B } from "./c/index";',
      "/p/c/index.ts": 'import { type A } from "../a.js";\nexport interface C { a: A }',
      "/p/d.ts": 'import type { A } from "./a";\nimport { z } from "zod";\nexport const d = (x: A) => x ?? z;',
    };
    const graph = importGraph(Object.keys(sources), (file) => sources[file]);
    expect(graph.get("/p/d.ts")).toEqual(["/p/a.ts"]);
    expect(cycles(graph)).toEqual([["/p/a.ts", "/p/b.ts", "/p/c/index.ts"]]);
  });

  it("reports nothing for a graph that only points one way", () => {
    const graph = new Map([
      ["/p/top.ts", ["/p/mid.ts", "/p/leaf.ts"]],
      ["/p/mid.ts", ["/p/leaf.ts"]],
      ["/p/leaf.ts", []],
    ]);
    expect(cycles(graph)).toEqual([]);
  });
});
