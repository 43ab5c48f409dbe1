/** Python function components, read from the module's source text (no I/O here; see `pipelines/components`). */
export { KFP_SDK_VERSION, pythonComponentFromSource, type PythonComponentOptions } from "./component";
