/** Components from files and URLs: Python functions in `.py` modules, component YAML. The DSL itself does no I/O. */
export { loadComponentFromFile, loadComponentFromUrl, type LoadFromUrlOptions } from "./load";
export { pythonComponent, type PythonFileComponentOptions } from "./python";
