"""The Google APIs the steps call, over REST with the standard library (no client libraries, so
the images install nothing from PyPI). Each method is one documented REST call:

- BigQuery: ``tables.get`` and ``tabledata.list``
  (https://cloud.google.com/bigquery/docs/reference/rest/v2/tabledata/list).
- Vertex AI v1 (https://cloud.google.com/vertex-ai/docs/reference/rest/v1):
  ``tuningJobs.create|get``, ``customJobs.create|get``, ``models.upload|get|mergeVersionAliases``,
  ``operations.get``, ``endpoints.get|generateContent``, ``publishers.models.generateContent``,
  ``batchPredictionJobs.create|get``; regional hosts ``LOCATION-aiplatform.googleapis.com``.
- Pub/Sub: ``topics.publish`` (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish).

``roots`` overrides the hosts (scheme and host, no path) for tests against a local server.
"""

from __future__ import annotations

import base64
import urllib.parse
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from ..errors import StepError
from . import BigQuery, GoogleServices, OpenModel, PubSub, Vertex, location_of
from .jobs import vertex_host
from .rest import RestClient, TokenSource


def parse_table(table: str) -> "tuple[str, str, str]":
    """``project.dataset.table`` (or ``bq://project.dataset.table``) split in three."""
    ref = table[len("bq://"):] if table.startswith("bq://") else table
    parts = ref.split(".")
    if len(parts) != 3 or not all(parts):
        raise StepError(f"{table!r} is not a BigQuery table; allowed: bq://PROJECT.DATASET.TABLE")
    return parts[0], parts[1], parts[2]


def convert_cell(field: Mapping[str, Any], value: Any) -> Any:
    """A ``tabledata.list`` cell (``{"v": …}``; scalars arrive as strings) as its schema type."""
    if value is None:
        return None
    if field.get("mode") == "REPEATED":
        return [convert_cell({**field, "mode": "NULLABLE"}, item.get("v") if isinstance(item, dict) else item) for item in value]
    kind = str(field.get("type", "STRING")).upper()
    if kind in ("RECORD", "STRUCT"):
        cells = value.get("f", []) if isinstance(value, dict) else []
        return {sub["name"]: convert_cell(sub, cell.get("v")) for sub, cell in zip(field.get("fields", []), cells)}
    if kind in ("INTEGER", "INT64"):
        return int(value)
    if kind in ("FLOAT", "FLOAT64"):
        return float(value)
    if kind in ("BOOLEAN", "BOOL"):
        return str(value).lower() == "true"
    return value


class RealBigQuery(BigQuery):
    def __init__(self, rest: RestClient, root: str):
        self.rest = rest
        self.root = root

    def read_rows(self, table: str, max_rows: int = 0) -> Iterator[Dict[str, Any]]:
        project, dataset, name = parse_table(table)
        base = f"{self.root}/bigquery/v2/projects/{project}/datasets/{dataset}/tables/{name}"
        meta = self.rest.send("GET", base, what=f"BigQuery tables.get {table}")
        fields = meta.get("schema", {}).get("fields", [])
        if not fields:
            raise StepError(f"BigQuery table {table} has no schema (is it a view? export a table)")
        token: Optional[str] = None
        seen = 0
        while True:
            query = {"maxResults": "10000", "formatOptions.useInt64Timestamp": "true"}
            if token:
                query["pageToken"] = token
            page = self.rest.send("GET", f"{base}/data?{urllib.parse.urlencode(query)}", what=f"BigQuery tabledata.list {table}")
            for row in page.get("rows", []):
                cells = row.get("f", [])
                yield {field["name"]: convert_cell(field, cell.get("v")) for field, cell in zip(fields, cells)}
                seen += 1
                if 0 < max_rows <= seen:
                    return
            token = page.get("pageToken")
            if not token:
                return


class RealVertex(Vertex):
    def __init__(self, rest: RestClient, root: Optional[str] = None):
        self.rest = rest
        self.root = root

    def _url(self, name: str, suffix: str = "") -> str:
        host = self.root or f"https://{vertex_host(location_of(name))}"
        return f"{host}/v1/{name}{suffix}"

    def create_tuning_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.rest.send("POST", self._url(parent, "/tuningJobs"), body, what="Vertex AI tuningJobs.create")

    def get_tuning_job(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI tuningJobs.get")

    def create_custom_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.rest.send("POST", self._url(parent, "/customJobs"), body, what="Vertex AI customJobs.create")

    def get_custom_job(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI customJobs.get")

    def upload_model(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.rest.send("POST", self._url(parent, "/models:upload"), body, what="Vertex AI models.upload")

    def get_operation(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI operations.get")

    def get_model(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI models.get")

    def merge_version_aliases(self, name: str, aliases: Sequence[str]) -> Dict[str, Any]:
        return self.rest.send("POST", self._url(name, ":mergeVersionAliases"), {"versionAliases": list(aliases)}, what="Vertex AI models.mergeVersionAliases")

    def get_endpoint(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI endpoints.get")

    def generate_content(self, resource: str, request: Dict[str, Any]) -> str:
        answer = self.rest.send("POST", self._url(resource, ":generateContent"), request, what=f"Vertex AI generateContent {resource}")
        candidates = answer.get("candidates") or []
        if not candidates:
            reason = (answer.get("promptFeedback") or {}).get("blockReason", "no candidates")
            raise StepError(f"generateContent on {resource} returned no answer ({reason})")
        parts = (candidates[0].get("content") or {}).get("parts") or []
        return "".join(str(p.get("text", "")) for p in parts)

    def create_batch_prediction_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.rest.send("POST", self._url(parent, "/batchPredictionJobs"), body, what="Vertex AI batchPredictionJobs.create")

    def get_batch_prediction_job(self, name: str) -> Dict[str, Any]:
        return self.rest.send("GET", self._url(name), what="Vertex AI batchPredictionJobs.get")


class RealPubSub(PubSub):
    def __init__(self, rest: RestClient, root: str):
        self.rest = rest
        self.root = root

    def publish(self, topic: str, data: bytes, attributes: Dict[str, str]) -> str:
        if not topic.startswith("projects/") or "/topics/" not in topic:
            raise StepError(f"topic {topic!r} is not a Pub/Sub topic name; allowed: projects/PROJECT/topics/TOPIC")
        body = {"messages": [{"data": base64.b64encode(data).decode("ascii"), "attributes": attributes}]}
        answer = self.rest.send("POST", f"{self.root}/v1/{topic}:publish", body, what=f"Pub/Sub publish to {topic}")
        ids: List[str] = answer.get("messageIds") or []
        if not ids:
            raise StepError(f"Pub/Sub publish to {topic} returned no message id")
        return ids[0]


class VllmModel(OpenModel):
    """Generation with vLLM on the task's GPU: the GPU steps image is built FROM vLLM's image
    (pipelines/steps/images/steps-gpu.Dockerfile), so the import exists there and nowhere else."""

    def __init__(self, model_dir: str):
        try:
            from vllm import LLM  # type: ignore[import-not-found]
        except ImportError:
            raise StepError("open-model generation needs vLLM, which only the GPU steps image has; run this step in that image, or under LLMOPS_GOOGLE=fake") from None
        self.llm = LLM(model=model_dir, trust_remote_code=False)

    def generate(self, prompts: List[str], max_tokens: int) -> List[str]:
        from vllm import SamplingParams  # type: ignore[import-not-found]

        outputs = self.llm.generate(prompts, SamplingParams(temperature=0.0, max_tokens=max_tokens))
        return [output.outputs[0].text if output.outputs else "" for output in outputs]


class RealGoogle(GoogleServices):
    def __init__(self, roots: Optional[Mapping[str, str]] = None, rest: Optional[RestClient] = None, tokens: Optional[TokenSource] = None):
        roots = dict(roots or {})
        self.tokens = tokens or TokenSource()
        self.rest = rest or RestClient(self.tokens)
        self.bigquery = RealBigQuery(self.rest, roots.get("bigquery", "https://bigquery.googleapis.com"))
        self.vertex = RealVertex(self.rest, roots.get("aiplatform"))
        self.pubsub = RealPubSub(self.rest, roots.get("pubsub", "https://pubsub.googleapis.com"))

    def service_account_email(self) -> str:
        return self.tokens.service_account_email()

    def open_model(self, model_dir: str) -> OpenModel:
        return VllmModel(model_dir)
