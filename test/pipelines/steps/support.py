"""Shared by the step tests: the steps package on the path, fixtures, and a sandbox in which
``gs://`` URIs and the Google fakes live in a temporary folder.

Run all step tests with ``python3 -m unittest discover -s test/pipelines/steps`` from the
repository root (``npm test`` does, through test/pipelines/steps.test.ts).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
STEPS = os.path.join(ROOT, "pipelines", "steps")
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
if STEPS not in sys.path:
    sys.path.insert(0, STEPS)

from llmops_common.executor import run_step  # noqa: E402


class Sandbox(unittest.TestCase):
    """Each test gets a folder: ``gs://`` maps to ``<tmp>/gcs``, the fakes keep state in
    ``<tmp>/fake``, and BigQuery tables come from the fixtures."""

    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="llmops-steps-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.gcs = os.path.join(self.tmp, "gcs")
        os.makedirs(self.gcs)
        env = {
            "LLMOPS_GOOGLE": "fake",
            "LLMOPS_FAKE_DIR": os.path.join(self.tmp, "fake"),
            "LLMOPS_GCS_ROOT": self.gcs,
            "LLMOPS_FAKE_BIGQUERY_DIR": os.path.join(FIXTURES, "bigquery"),
            "LLMOPS_FAKE_FAIL": "",
            # The fake CustomJob starts the trainer as a subprocess: it must find the package too.
            "PYTHONPATH": os.pathsep.join([STEPS, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        self.addCleanup(_restore, saved)

    def path(self, *parts: str) -> str:
        return os.path.join(self.tmp, *parts)

    def put(self, uri: str, text: str) -> str:
        """Writes ``text`` where ``uri`` (``gs://…`` or a sandbox-relative path) lives; returns the local path."""
        local = os.path.join(self.gcs, uri[len("gs://"):]) if uri.startswith("gs://") else self.path(uri)
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local, "w", encoding="utf-8") as handle:
            handle.write(text)
        return local

    def copy_fixture(self, name: str, uri: str) -> str:
        with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
            return self.put(uri, handle.read())

    def read(self, path_or_uri: str) -> str:
        local = os.path.join(self.gcs, path_or_uri[len("gs://"):]) if path_or_uri.startswith("gs://") else path_or_uri
        with open(local, encoding="utf-8") as handle:
            return handle.read()

    def read_lines(self, path_or_uri: str) -> List[Dict[str, Any]]:
        return [json.loads(line) for line in self.read(path_or_uri).splitlines() if line.strip()]

    def run_main(self, main: Callable[[Sequence[str]], None], args: Sequence[str]) -> Tuple[int, str, str]:
        """Runs a step's ``main`` as its ``__main__`` would; returns (exit code, stdout, stderr)."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_step(main, list(args))
        return code, out.getvalue(), err.getvalue()

    def assert_ok(self, main: Callable[[Sequence[str]], None], args: Sequence[str]) -> str:
        code, out, err = self.run_main(main, args)
        self.assertEqual(code, 0, f"step failed:\n{out}\n{err}")
        return out

    def assert_fails(self, main: Callable[[Sequence[str]], None], args: Sequence[str], *fragments: str) -> str:
        code, out, err = self.run_main(main, args)
        self.assertEqual(code, 1, f"step did not fail:\n{out}\n{err}")
        last = [line for line in err.splitlines() if line.strip()][-1]
        self.assertTrue(last.startswith("error: "), err)
        for fragment in fragments:
            self.assertIn(fragment, last)
        return last

    def executor_input(self, outputs: Optional[Dict[str, Any]] = None, inputs: Optional[Dict[str, Any]] = None) -> Tuple[str, str]:
        """An ExecutorInput with the given output artifacts (name → schemaTitle) and input
        artifacts (name → {uri, metadata}); returns (JSON, path of its outputFile)."""
        output_file = self.path("task", "executor_output.json")
        artifacts = {name: {"artifacts": [{"name": name, "type": {"schemaTitle": title}, "uri": self.path("task", name), "metadata": {}}]} for name, title in (outputs or {}).items()}
        document = {
            "inputs": {"parameterValues": {}, "artifacts": {name: {"artifacts": [{"name": name, **value}]} for name, value in (inputs or {}).items()}},
            "outputs": {"artifacts": artifacts, "outputFile": output_file},
        }
        return json.dumps(document), output_file


def _restore(saved: Dict[str, Optional[str]]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@contextlib.contextmanager
def env(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        _restore(saved)
