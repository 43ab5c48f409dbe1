import { T } from "../../lib/resources";
import { asString, at, isOpaque, show } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Immutable tags stop a push from moving `v1.3.0` to other bytes: whatever was reviewed and
 * promoted under a tag stays what the tag means. Remote and virtual repositories only proxy
 * others, so the setting applies to standard repositories.
 */
export default definePolicy({
  name: "artifact-registry-immutable-tags",
  description: "Docker repositories in Artifact Registry have immutable tags.",
  group: "security",
  severity: "medium",
  mirrors: [],
  remediation: "Set dockerConfig: { immutableTags: true } on the repository (llmops:platform:Registries does for the images repository); publish a new tag instead of moving one.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.repository],
    check(repository) {
      const format = asString(repository.inputs.format)?.toUpperCase();
      const mode = asString(repository.inputs.mode) ?? "STANDARD_REPOSITORY";
      if (format !== "DOCKER" || mode !== "STANDARD_REPOSITORY") return [];
      const value = at(repository.inputs, "dockerConfig.immutableTags");
      if (value === true || isOpaque(value)) return [];
      return [{ message: `dockerConfig.immutableTags is ${show(value)}; allowed: true` }];
    },
  },
});
