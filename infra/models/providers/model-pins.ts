import { ResolvedConnection } from "./connection";
import { apiError } from "../../common/providers/errors";
import { findModel, openModelSession } from "./model-version-api";

const PINNED = /@[0-9]+$/;

/**
 * Maps each deployment model given by alias (`…/models/ID@v1-2-0`, known at preview, before the
 * upload has a number) to the version id it names now (`…/models/ID@3`). Endpoints report deployed
 * models by version id, so planning compares ids; if an alias has moved since a model was deployed,
 * the plan sees a different model under the same deployed model id and refuses, rather than
 * serving something else.
 */
export async function pinModelVersions(connection: ResolvedConnection, models: readonly string[]): Promise<Map<string, string>> {
  const pins = new Map<string, string>();
  const aliased = [...new Set(models)].filter((m) => !PINNED.test(m));
  if (aliased.length === 0) return pins;
  // The session's client is the process's shared one (sharedClient): nothing to close.
  const s = openModelSession(connection);
  for (const name of aliased) {
    const model = await findModel(s, name);
    if (!model?.versionId) {
      throw apiError(`model version ${name} does not exist; upload it first (its ModelVersion sets the alias)`, "NOT_FOUND");
    }
    pins.set(name, `${name.slice(0, name.lastIndexOf("@"))}@${model.versionId}`);
  }
  return pins;
}
