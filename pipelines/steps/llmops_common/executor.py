"""The KFP executor protocol, as a container step sees it.

A container component receives its values on the command line, through placeholders the
backend substitutes before starting the container (``pipeline_spec.proto``, kubeflow/pipelines
``api/v2alpha1``; the SDK's ``sdk/python/kfp/local/placeholder_utils.py`` shows the rules):

- ``{{$.inputs.parameters['x']}}``: the value; a STRING as is, anything else as its JSON text.
- ``{{$.outputs.parameters['x'].output_file}}``: a file the step writes the output value into.
- ``{{$.outputs.artifacts['x'].path}}`` / ``.uri``: where to write an output artifact.
- ``{{$}}``: the whole ExecutorInput as JSON. Steps that set artifact metadata (metrics, a
  Vertex AI model's ``resourceName``) take it, because metadata reaches the backend only through
  the ExecutorOutput file named by ``outputs.outputFile`` (``executor.py`` in the SDK writes
  ``{"parameterValues": …, "artifacts": {name: {"artifacts": [{name, uri, metadata}]}}}``).

Everything here is plain functions over plain data, so steps stay testable without a backend.
"""

from __future__ import annotations

import json
import math
import os
import sys
import traceback
from typing import Any, Callable, Dict, List, Optional, Sequence

from .errors import StepError


def parse_executor_input(text: str) -> Dict[str, Any]:
    """The ExecutorInput JSON a step got as ``--executor-input``."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise StepError(f"--executor-input is not JSON ({err.msg} at column {err.colno}); expected the {{{{$}}}} placeholder's value") from None
    if not isinstance(value, dict) or not isinstance(value.get("outputs", {}), dict):
        raise StepError("--executor-input is not an ExecutorInput object; expected the {{$}} placeholder's value")
    return value


def output_artifact(executor_input: Dict[str, Any], name: str) -> Dict[str, Any]:
    """``outputs.artifacts[name].artifacts[0]``: the runtime artifact the step fills in."""
    try:
        return executor_input["outputs"]["artifacts"][name]["artifacts"][0]
    except (KeyError, IndexError, TypeError):
        raise StepError(f"the executor input has no output artifact {name!r}") from None


def input_artifact(executor_input: Dict[str, Any], name: str) -> Dict[str, Any]:
    """``inputs.artifacts[name].artifacts[0]``."""
    try:
        return executor_input["inputs"]["artifacts"][name]["artifacts"][0]
    except (KeyError, IndexError, TypeError):
        raise StepError(f"the executor input has no input artifact {name!r}") from None


def write_output_parameter(path: str, value: Any) -> None:
    """Writes an output parameter the way the SDK serialises one: numbers and strings as text,
    booleans, lists and dicts as JSON."""
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        text = json.dumps(value, sort_keys=True)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise StepError(f"output value {value!r} is not a finite number")
        text = repr(value)
    else:
        text = str(value)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


class ExecutorOutput:
    """Collects what a step reports beyond its files: artifact metadata and parameter values."""

    def __init__(self, executor_input: Dict[str, Any]):
        self.executor_input = executor_input
        self.artifacts: Dict[str, Dict[str, Any]] = {}
        self.parameters: Dict[str, Any] = {}

    def artifact(self, name: str, metadata: Optional[Dict[str, Any]] = None, uri: Optional[str] = None) -> Dict[str, Any]:
        """Records output artifact ``name`` with ``metadata`` (merged) and optionally a new ``uri``."""
        runtime = dict(output_artifact(self.executor_input, name))
        entry = self.artifacts.setdefault(name, {"name": runtime.get("name", ""), "uri": runtime.get("uri", ""), "metadata": dict(runtime.get("metadata") or {})})
        if metadata:
            entry["metadata"].update(metadata)
        if uri is not None:
            entry["uri"] = uri
        return entry

    def parameter(self, name: str, value: Any) -> None:
        self.parameters[name] = value

    def document(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        if self.parameters:
            out["parameterValues"] = dict(self.parameters)
        if self.artifacts:
            out["artifacts"] = {name: {"artifacts": [entry]} for name, entry in sorted(self.artifacts.items())}
        return out

    def write(self) -> Optional[str]:
        """Writes the ExecutorOutput file the backend reads (``outputs.outputFile``)."""
        path = self.executor_input.get("outputs", {}).get("outputFile")
        if not path:
            return None
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.document(), handle, sort_keys=True, indent=2)
        return path


def metric_values(values: Dict[str, Any]) -> Dict[str, Any]:
    """Metrics as KFP's ``system.Metrics`` keeps them: a flat map of numbers (the SDK's
    ``Metrics.log_metric`` stores each value in the artifact's metadata)."""
    out: Dict[str, Any] = {}
    for key, value in sorted(values.items()):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise StepError(f"metric {key!r} is {value!r}; allowed: a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise StepError(f"metric {key!r} is {value!r}; allowed: a finite number")
        out[key] = value
    return out


def run_step(main: Callable[[Sequence[str]], None], argv: Optional[Sequence[str]] = None) -> int:
    """Runs a step's ``main``; a ``StepError`` becomes one ``error:`` line on stderr and exit 1.

    Anything else is a bug in the step: its traceback is printed, then the same ``error:`` line,
    so the runner's log and Vertex AI's both end with the reason.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        main(args)
    except StepError as err:
        print(f"error: {err}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr, flush=True)
        return 130
    except Exception as err:  # a bug: keep the traceback
        traceback.print_exc()
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
        return 1
    return 0


def log(message: str) -> None:
    """One progress line on stdout (the runner's and Vertex AI's task log)."""
    print(message, flush=True)


def parse_int(name: str, text: str) -> int:
    """An integer argument as placeholders render it (``3``, or ``3.0`` from a double Value)."""
    try:
        value = float(text)
    except ValueError:
        raise StepError(f"{name} is {text!r}; allowed: an integer") from None
    if not value.is_integer():
        raise StepError(f"{name} is {text!r}; allowed: an integer")
    return int(value)


def parse_float(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise StepError(f"{name} is {text!r}; allowed: a number") from None
    if not math.isfinite(value):
        raise StepError(f"{name} is {text!r}; allowed: a finite number")
    return value


def parse_json_list(name: str, text: str) -> List[Any]:
    """A LIST parameter as its placeholder renders it: JSON text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise StepError(f"{name} is {text!r}; allowed: a JSON list") from None
    if not isinstance(value, list):
        raise StepError(f"{name} is {text!r}; allowed: a JSON list")
    return value
