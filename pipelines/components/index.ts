/** Components from files: Python functions in `.py` modules. The DSL itself does no I/O. */
export { pythonComponent, type PythonFileComponentOptions } from "./python";
