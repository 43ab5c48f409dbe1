import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * The layers, bottom to top, and who may import whom (README "Layout"):
 * lib/ (imports nothing of the project) → infra/common → each capability's config/ → infra/settings
 * → the capabilities' components → infra/llmops.ts; pipelines/ (authoring and compiling) never
 * imports infra/. A capability imports another only through its public entries: `index.ts`
 * (components) or `config/index.ts` (its Pulumi-free configuration).
 */
const CAPABILITIES = ["platform", "gke", "models", "monitoring", "pipelines", "budget"];
const PUBLIC_ENTRIES = ["./index.ts", "./config/index.ts"];

const capabilityZones = CAPABILITIES.flatMap((target) =>
  CAPABILITIES.filter((from) => from !== target).map((from) => ({
    target: `./infra/${target}`,
    from: `./infra/${from}`,
    except: PUBLIC_ENTRIES,
    message: `import infra/${from} through its index.ts or config/index.ts, not its internal files`,
  })),
);

export default tseslint.config(
  { ignores: ["node_modules/**", ".llmops/**", "dist/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".json"] })] },
    rules: {
      // no-cycle skips `import type` whatever its options (eslint-plugin-import-x 4.18.1), yet a
      // cycle of types is still two modules that cannot be read apart: test/layout/import-cycles
      // .test.ts checks the whole graph, type imports included.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            { target: "./pipelines", from: ["./infra", "./cli", "./policies"], message: "pipelines/ is authoring and compiling only: it never imports infra/, cli/ or policies/" },
            // The caches keyed by the program's files leave test/, cli/ and policies/ out (infra/common/program-sources.ts).
            { target: ["./infra", "./pipelines", "./lib", "./policies", "./cli", "./bin"], from: "./test", message: "the program and the CLI never import test/: the render caches' key leaves it out" },
            { target: ["./infra", "./pipelines", "./lib"], from: ["./cli", "./policies"], message: "the program never imports the CLI or the policy pack (they read plans): the render caches' key leaves them out" },
            { target: "./lib", from: ["./infra", "./pipelines", "./cli", "./policies", "./test"], message: "lib/ imports nothing from the project" },
            { target: "./infra/common", from: ["./infra/platform", "./infra/gke", "./infra/models", "./infra/monitoring", "./infra/pipelines", "./infra/budget", "./infra/settings", "./infra/testing"], message: "infra/common sits below every capability" },
            // policies/cost (the price catalog and the cost of a plan), like policies/preflight, is a Pulumi-free library of the
            // pack that cli/ also uses: it reads plans, never the program, and the rules build on it, not the other way round.
            { target: "./policies/cost", from: ["./infra", "./pipelines", "./cli", "./test"], message: "policies/cost imports only lib/: the CLI and the CrossGuard pack load it without the program" },
            { target: "./policies/cost", from: "./policies", except: ["./cost"], message: "policies/cost sits below the rules and the pack that use it" },
            { target: ["./infra", "./pipelines"], from: "./policies/cost", message: "the program never prices itself: policies/cost reads plans" },
            ...CAPABILITIES.map((c) => ({ target: `./infra/${c}`, from: ["./infra/settings", "./infra/testing", "./infra/llmops.ts", "./infra/index.ts"], message: "capabilities sit below the settings layer, the renderer and the composition root" })),
            // A capability's config/ stays Pulumi-free: not its own components, nor another's index.ts.
            ...CAPABILITIES.map((c) => ({ target: `./infra/${c}/config`, from: `./infra/${c}`, except: ["./config"], message: "config/ is Pulumi-free: it never imports its capability's components" })),
            ...CAPABILITIES.flatMap((c) =>
              CAPABILITIES.filter((d) => d !== c).map((d) => ({ target: `./infra/${c}/config`, from: `./infra/${d}/index.ts`, message: `config/ is Pulumi-free: import infra/${d}/config, not its components` })),
            ),
            ...capabilityZones,
          ],
        },
      ],
    },
  },
);
