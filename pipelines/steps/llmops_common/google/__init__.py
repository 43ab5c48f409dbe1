"""The narrow interface between the steps and Google Cloud, and how a step gets one.

``services()`` returns the real clients (REST over the standard library, ``real.py``) or, with
``LLMOPS_GOOGLE=fake``, local fakes keeping their state under ``LLMOPS_FAKE_DIR`` (``fake.py``):
what the local runner sets for ``llmops pipelines run --local`` and what the tests use. Both
implement ``GoogleServices`` below; a step calls nothing else.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Sequence

from ..errors import StepError

MODE_ENV = "LLMOPS_GOOGLE"
FAKE_DIR_ENV = "LLMOPS_FAKE_DIR"


class BigQuery:
    def read_rows(self, table: str, max_rows: int = 0) -> Iterator[Dict[str, Any]]:
        """Rows of ``project.dataset.table`` as dicts (all columns, typed from the schema); at most
        ``max_rows`` when positive."""
        raise NotImplementedError


class Vertex:
    """Vertex AI resources by full name (``projects/P/locations/L/...``); bodies are the REST
    API's JSON (https://cloud.google.com/vertex-ai/docs/reference/rest/v1)."""

    def create_tuning_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        raise NotImplementedError

    def get_tuning_job(self, name: str) -> Dict[str, Any]:
        raise NotImplementedError

    def create_custom_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        raise NotImplementedError

    def get_custom_job(self, name: str) -> Dict[str, Any]:
        raise NotImplementedError

    def upload_model(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """``models:upload``: a long-running operation."""
        raise NotImplementedError

    def get_operation(self, name: str) -> Dict[str, Any]:
        raise NotImplementedError

    def get_model(self, name: str) -> Dict[str, Any]:
        """A model version: ``projects/P/locations/L/models/M[@version|alias]``."""
        raise NotImplementedError

    def merge_version_aliases(self, name: str, aliases: Sequence[str]) -> Dict[str, Any]:
        raise NotImplementedError

    def get_endpoint(self, name: str) -> Dict[str, Any]:
        raise NotImplementedError

    def generate_content(self, resource: str, request: Dict[str, Any]) -> str:
        """The first candidate's text from ``<resource>:generateContent`` (an endpoint of a tuned
        Gemini model, or ``publishers/google/models/<id>``)."""
        raise NotImplementedError

    def create_batch_prediction_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        raise NotImplementedError

    def get_batch_prediction_job(self, name: str) -> Dict[str, Any]:
        raise NotImplementedError


class PubSub:
    def publish(self, topic: str, data: bytes, attributes: Dict[str, str]) -> str:
        """Publishes one message to ``projects/P/topics/T``; returns its id."""
        raise NotImplementedError


class OpenModel:
    def generate(self, prompts: List[str], max_tokens: int) -> List[str]:
        """Greedy completions, one per prompt."""
        raise NotImplementedError


class GoogleServices:
    bigquery: BigQuery
    vertex: Vertex
    pubsub: PubSub

    def service_account_email(self) -> str:
        """The account this task runs as (jobs it starts run as the same one)."""
        raise NotImplementedError

    def open_model(self, model_dir: str) -> OpenModel:
        """An open model's weights (a folder of the tuning job's output) loaded for generation on
        this task's accelerator."""
        raise NotImplementedError


def services() -> GoogleServices:
    mode = os.environ.get(MODE_ENV, "real")
    if mode == "real":
        from .real import RealGoogle

        return RealGoogle()
    if mode == "fake":
        from .fake import FakeGoogle

        return FakeGoogle(os.environ.get(FAKE_DIR_ENV) or os.path.join(os.getcwd(), ".llmops-fake-google"))
    raise StepError(f"{MODE_ENV}={mode!r}; allowed: real, fake")


def location_of(name: str) -> str:
    """``L`` of ``projects/P/locations/L/...``."""
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != "projects" or parts[2] != "locations" or not parts[3]:
        raise StepError(f"{name!r} is not a Vertex AI resource name; allowed: projects/P/locations/L/…")
    return parts[3]
