import { defaultPython } from "../../pipelines/runner";

/**
 * The python3 this machine runs, as local runs start it (`defaultPython`: resolved once per
 * process, not through a version manager's shim at each call, ~0.4 s apiece), or undefined without one.
 */
const resolved = defaultPython();
export const python: string | undefined = resolved === "python3" ? undefined : resolved;
export const hasPython = python !== undefined;
