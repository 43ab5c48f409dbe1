import { defaultPython } from "../../pipelines/runner";

/**
 * The python3 this machine runs, as local runs start it (`defaultPython`: resolved once per
 * process, not through a version manager's shim at each call, ~0.4 s apiece), or undefined without one.
 */
export const python: string | undefined = defaultPython() === "python3" ? undefined : defaultPython();
export const hasPython = python !== undefined;
