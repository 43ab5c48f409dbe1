/** Naming rules shared by the DSL and the compiler, following the KFP SDK (`kfp/dsl/utils.py`). */

/** `^[a-z0-9][a-z0-9-]{0,127}$`: the SDK's `validate_pipeline_name`, also what Vertex AI accepts. */
export const PIPELINE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,127}$/;
/** Input and output names become Python identifiers in SDK-built containers. */
export const IO_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A task name as it appears as a DAG key: already in the form `maybeRenameForK8s` produces. */
export const TASK_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `maybe_rename_for_k8s`: lower case, runs of other characters become one dash, no edge dashes. */
export function k8sName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-0-9a-z]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `make_name_unique_by_adding_index`: `name`, else `name-2`, `name-3`, … */
export function uniqueName(name: string, taken: { has(name: string): boolean }): string {
  if (!taken.has(name)) return name;
  for (let index = 2; ; index++) {
    const candidate = `${name}-${index}`;
    if (!taken.has(candidate)) return candidate;
  }
}
