"""Local fakes of the Google APIs the steps call, for ``llmops pipelines run --local`` and tests.

State lives in JSON under one folder (``LLMOPS_FAKE_DIR``), so the steps of one local run see
each other's jobs and models as they would in a project. Jobs finish when first read; what they
do is real work on local files:

- BigQuery tables are JSONL files: ``<dir>/bigquery/PROJECT.DATASET.TABLE.jsonl`` (or under
  ``LLMOPS_FAKE_BIGQUERY_DIR``).
- A tuning job trains a ``FakeModel`` on its training file and "deploys" it to an endpoint.
- A CustomJob runs its worker pool's command as a local subprocess with the environment Vertex AI
  gives a training container (``AIP_MODEL_DIR`` = ``<baseOutputDirectory>/model``, see
  https://cloud.google.com/vertex-ai/docs/training/code-requirements#environment-variables).
- ``models.upload`` registers versions (``parentModel`` adds one); aliases move as in the registry.
- Batch prediction runs the model over its instance files into ``prediction-<job id>/``.
- Pub/Sub messages are appended to ``<dir>/pubsub/<topic>.jsonl``.

``LLMOPS_FAKE_FAIL`` (comma-separated: ``tuningJobs``, ``customJobs``, ``batchPredictionJobs``,
``models.upload``, ``pubsub``) makes that call fail, to test how a run reports it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Dict, Iterator, List, Optional, Sequence

from ..errors import StepError
from ..fake_model import FILE_NAME, FakeModel
from ..jsonl import read_records, write_records
from ..prompts import example_parts
from ..storage import expand, join, local_path
from . import BigQuery, GoogleServices, OpenModel, PubSub, Vertex, location_of

FAIL_ENV = "LLMOPS_FAKE_FAIL"
JUDGE_MARKER = "[llmops-judge]"
FAKE_ACCOUNT = "llmops-local-runner@fake-project.iam.gserviceaccount.com"


def _failing(what: str) -> bool:
    return what in {part.strip() for part in os.environ.get(FAIL_ENV, "").split(",") if part.strip()}


class _State:
    """One JSON document of resources, read and written whole (steps run one at a time)."""

    def __init__(self, directory: str):
        self.directory = directory
        self.path = os.path.join(directory, "vertex", "state.json")

    def load(self) -> Dict[str, Any]:
        try:
            with open(self.path, "r", encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {"nextId": 1, "tuningJobs": {}, "customJobs": {}, "models": {}, "endpoints": {}, "batchPredictionJobs": {}, "operations": {}}

    def save(self, state: Dict[str, Any]) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        temporary = f"{self.path}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(state, handle, sort_keys=True, indent=2)
        os.replace(temporary, self.path)

    def new_id(self, state: Dict[str, Any]) -> str:
        value = int(state["nextId"])
        state["nextId"] = value + 1
        return str(value)


def _get(collection: Dict[str, Any], name: str, kind: str) -> Dict[str, Any]:
    if name not in collection:
        raise StepError(f"fake Vertex AI has no {kind} {name}")
    return collection[name]


class FakeBigQuery(BigQuery):
    def __init__(self, directory: str):
        self.directory = os.environ.get("LLMOPS_FAKE_BIGQUERY_DIR") or os.path.join(directory, "bigquery")

    def read_rows(self, table: str, max_rows: int = 0) -> Iterator[Dict[str, Any]]:
        from .real import parse_table

        project, dataset, name = parse_table(table)
        path = os.path.join(self.directory, f"{project}.{dataset}.{name}.jsonl")
        if not os.path.isfile(path):
            raise StepError(f"BigQuery table {project}.{dataset}.{name} not found (the fake reads it from {path})")
        seen = 0
        for _, record in read_records(path):
            yield record
            seen += 1
            if 0 < max_rows <= seen:
                return


class FakeVertex(Vertex):
    def __init__(self, directory: str):
        self.state = _State(directory)
        self.models_dir = os.path.join(directory, "vertex", "models")

    # ---- tuning jobs: a FakeModel trained on the training file, served from an endpoint -------

    def create_tuning_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        location_of(parent)
        spec = body.get("supervisedTuningSpec") or {}
        train = spec.get("trainingDatasetUri")
        if not body.get("baseModel") or not train:
            raise StepError("tuningJobs.create: baseModel and supervisedTuningSpec.trainingDatasetUri are required (HTTP 400 INVALID_ARGUMENT)")
        state = self.state.load()
        job_id = self.state.new_id(state)
        name = f"{parent}/tuningJobs/{job_id}"
        job: Dict[str, Any] = {"name": name, "baseModel": body["baseModel"], "tunedModelDisplayName": body.get("tunedModelDisplayName", ""), "supervisedTuningSpec": spec, "state": "JOB_STATE_PENDING"}
        if _failing("tuningJobs"):
            job.update(state="JOB_STATE_FAILED", error={"code": 3, "message": f"injected by {FAIL_ENV}"})
        else:
            model = FakeModel.tune(body["baseModel"], expand(train), int((spec.get("hyperParameters") or {}).get("epochCount", 1)))
            model_name, version = self._register(state, parent, body.get("tunedModelDisplayName") or "tuned-model", model, None, [], "")
            endpoint = f"{parent}/endpoints/{self.state.new_id(state)}"
            state["endpoints"][endpoint] = {"name": endpoint, "deployedModels": [{"id": "1", "model": model_name, "modelVersionId": version}]}
            job["tunedModel"] = {"model": f"{model_name}@{version}", "endpoint": endpoint}
        state["tuningJobs"][name] = job
        self.state.save(state)
        return dict(job)

    def get_tuning_job(self, name: str) -> Dict[str, Any]:
        state = self.state.load()
        job = _get(state["tuningJobs"], name, "tuning job")
        if job["state"] == "JOB_STATE_PENDING":
            job["state"] = "JOB_STATE_SUCCEEDED"
            self.state.save(state)
        return dict(job)

    # ---- custom jobs: the worker's command, run here -------------------------------------------

    def create_custom_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        location_of(parent)
        spec = body.get("jobSpec") or {}
        pools = spec.get("workerPoolSpecs") or []
        if not pools or not (pools[0].get("containerSpec") or {}).get("imageUri"):
            raise StepError("customJobs.create: jobSpec.workerPoolSpecs[0].containerSpec.imageUri is required (HTTP 400 INVALID_ARGUMENT)")
        container = pools[0]["containerSpec"]
        command = list(container.get("command") or [])
        if not command:
            raise StepError("the fake CustomJob runs containerSpec.command locally; set it (the image's ENTRYPOINT is not known here)")
        state = self.state.load()
        name = f"{parent}/customJobs/{self.state.new_id(state)}"
        job: Dict[str, Any] = {"name": name, "displayName": body.get("displayName", ""), "jobSpec": spec, "state": "JOB_STATE_PENDING"}
        if _failing("customJobs"):
            job.update(state="JOB_STATE_FAILED", error={"code": 13, "message": f"injected by {FAIL_ENV}"})
        else:
            output = (spec.get("baseOutputDirectory") or {}).get("outputUriPrefix", "")
            env = dict(os.environ)
            if output:
                env.update(AIP_MODEL_DIR=join(output, "model"), AIP_CHECKPOINT_DIR=join(output, "checkpoints"), AIP_TENSORBOARD_LOG_DIR=join(output, "logs"))
            if command[0] in ("python", "python3"):
                command[0] = sys.executable
            done = subprocess.run(command + list(container.get("args") or []), env=env, capture_output=True, text=True)
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            if done.returncode != 0:
                lines = [line for line in done.stderr.splitlines() if line.strip()]
                job.update(state="JOB_STATE_FAILED", error={"code": 13, "message": lines[-1] if lines else f"worker exited {done.returncode}"})
        state["customJobs"][name] = job
        self.state.save(state)
        return dict(job)

    def get_custom_job(self, name: str) -> Dict[str, Any]:
        state = self.state.load()
        job = _get(state["customJobs"], name, "custom job")
        if job["state"] == "JOB_STATE_PENDING":
            job["state"] = "JOB_STATE_SUCCEEDED"
            self.state.save(state)
        return dict(job)

    # ---- Model Registry -------------------------------------------------------------------------

    def _register(self, state: Dict[str, Any], parent: str, display_name: str, model: Optional[FakeModel], parent_model: Optional[str], aliases: Sequence[str], artifact_uri: str, container: Optional[Dict[str, Any]] = None, description: str = "") -> "tuple[str, str]":
        if parent_model:
            name = parent_model.split("@")[0]
            entry = _get(state["models"], name, "model")
        else:
            name = f"{parent}/models/{self.state.new_id(state)}"
            entry = state["models"][name] = {"name": name, "displayName": display_name, "versions": []}
        version = str(len(entry["versions"]) + 1)
        for other in entry["versions"]:
            other["versionAliases"] = [a for a in other["versionAliases"] if a not in aliases]
        entry["versions"].append({"versionId": version, "versionAliases": list(aliases) + (["default"] if version == "1" else []), "artifactUri": artifact_uri, "containerSpec": container, "versionDescription": description})
        if model is not None:
            os.makedirs(self.models_dir, exist_ok=True)
            model.save(os.path.join(self.models_dir, f"{name.rsplit('/', 1)[1]}-{version}.json"))
        return name, version

    def upload_model(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        location_of(parent)
        if _failing("models.upload"):
            raise StepError(f"Vertex AI models.upload: HTTP 500 INTERNAL: injected by {FAIL_ENV}")
        model = body.get("model") or {}
        if not model.get("displayName") or not model.get("artifactUri") or not (model.get("containerSpec") or {}).get("imageUri"):
            raise StepError("Vertex AI models.upload: HTTP 400 INVALID_ARGUMENT: model.displayName, artifactUri and containerSpec.imageUri are required")
        artifact = local_path(model["artifactUri"])
        weights = os.path.join(artifact, FILE_NAME)
        state = self.state.load()
        name, version = self._register(state, parent, model["displayName"], FakeModel.load(weights) if os.path.isfile(weights) else None, body.get("parentModel"), model.get("versionAliases") or [], model["artifactUri"], model.get("containerSpec"), model.get("versionDescription", ""))
        operation = f"{parent}/models/{name.rsplit('/', 1)[1]}/operations/{self.state.new_id(state)}"
        state["operations"][operation] = {"name": operation, "done": True, "response": {"model": name, "modelVersionId": version}}
        self.state.save(state)
        return {"name": operation, "done": False}

    def get_operation(self, name: str) -> Dict[str, Any]:
        return dict(_get(self.state.load()["operations"], name, "operation"))

    def _version(self, state: Dict[str, Any], name: str) -> "tuple[Dict[str, Any], Dict[str, Any]]":
        base, _, selector = name.partition("@")
        entry = _get(state["models"], base, "model")
        selector = selector or "default"
        for version in entry["versions"]:
            if version["versionId"] == selector or selector in version["versionAliases"]:
                return entry, version
        raise StepError(f"Vertex AI models.get: HTTP 404 NOT_FOUND: model {base} has no version or alias {selector!r}")

    def get_model(self, name: str) -> Dict[str, Any]:
        entry, version = self._version(self.state.load(), name)
        return {"name": entry["name"], "displayName": entry["displayName"], "versionId": version["versionId"], "versionAliases": version["versionAliases"], "artifactUri": version["artifactUri"], **({"containerSpec": version["containerSpec"]} if version.get("containerSpec") else {})}

    def merge_version_aliases(self, name: str, aliases: Sequence[str]) -> Dict[str, Any]:
        state = self.state.load()
        entry, version = self._version(state, name)
        for other in entry["versions"]:
            if other is not version:
                other["versionAliases"] = [a for a in other["versionAliases"] if a not in aliases]
        version["versionAliases"] = sorted(set(version["versionAliases"]) | set(aliases))
        self.state.save(state)
        return self.get_model(f"{entry['name']}@{version['versionId']}")

    def get_endpoint(self, name: str) -> Dict[str, Any]:
        return dict(_get(self.state.load()["endpoints"], name, "endpoint"))

    def _model_for(self, state: Dict[str, Any], name: str) -> FakeModel:
        entry, version = self._version(state, name)
        path = os.path.join(self.models_dir, f"{entry['name'].rsplit('/', 1)[1]}-{version['versionId']}.json")
        if not os.path.isfile(path):
            raise StepError(f"fake model {name} has no weights to predict with")
        return FakeModel.load(path)

    def generate_content(self, resource: str, request: Dict[str, Any]) -> str:
        prompt = example_parts({"contents": list(request.get("contents") or []) + [{"role": "model", "parts": [{"text": ""}]}]})[0]
        if "/publishers/" in resource:
            return _fake_judge(prompt)
        state = self.state.load()
        deployed = (_get(state["endpoints"], resource, "endpoint").get("deployedModels") or [{}])[0]
        return self._model_for(state, f"{deployed['model']}@{deployed['modelVersionId']}").generate(prompt)

    # ---- batch prediction -----------------------------------------------------------------------

    def create_batch_prediction_job(self, parent: str, body: Dict[str, Any]) -> Dict[str, Any]:
        location_of(parent)
        sources = ((body.get("inputConfig") or {}).get("gcsSource") or {}).get("uris") or []
        prefix = ((body.get("outputConfig") or {}).get("gcsDestination") or {}).get("outputUriPrefix")
        if not body.get("model") or not sources or not prefix:
            raise StepError("Vertex AI batchPredictionJobs.create: HTTP 400 INVALID_ARGUMENT: model, inputConfig.gcsSource.uris and outputConfig.gcsDestination.outputUriPrefix are required")
        state = self.state.load()
        job_id = self.state.new_id(state)
        name = f"{parent}/batchPredictionJobs/{job_id}"
        job: Dict[str, Any] = {"name": name, "displayName": body.get("displayName", ""), "model": body["model"], "state": "JOB_STATE_PENDING"}
        if _failing("batchPredictionJobs"):
            job.update(state="JOB_STATE_FAILED", error={"code": 13, "message": f"injected by {FAIL_ENV}"})
        else:
            model = self._model_for(state, body["model"])
            key_field = (body.get("instanceConfig") or {}).get("keyField")
            out_dir = join(prefix, f"prediction-{job_id}")
            rows: List[Dict[str, Any]] = []
            for uri in sources:
                for path in expand(uri):
                    for _, instance in read_records(path):
                        if "request" in instance:
                            prompt = example_parts({"contents": instance["request"].get("contents", []) + [{"role": "model", "parts": [{"text": ""}]}]})[0]
                            rows.append({"request": instance["request"], "response": {"candidates": [{"content": {"role": "model", "parts": [{"text": model.generate(prompt)}]}}]}})
                        else:
                            sent = {k: v for k, v in instance.items() if k != key_field}
                            row: Dict[str, Any] = {"instance": sent, "prediction": model.generate(str(sent.get("prompt", "")))}
                            if key_field:
                                row["key"] = instance.get(key_field)
                            rows.append(row)
            write_records(os.path.join(local_path(out_dir), "predictions_00001.jsonl"), rows)
            job["outputInfo"] = {"gcsOutputDirectory": out_dir}
            job["completionStats"] = {"successfulCount": str(len(rows))}
        state["batchPredictionJobs"][name] = job
        self.state.save(state)
        return dict(job)

    def get_batch_prediction_job(self, name: str) -> Dict[str, Any]:
        state = self.state.load()
        job = _get(state["batchPredictionJobs"], name, "batch prediction job")
        if job["state"] == "JOB_STATE_PENDING":
            job["state"] = "JOB_STATE_SUCCEEDED"
            self.state.save(state)
        return dict(job)


def _fake_judge(prompt: str) -> str:
    """Answers the evaluator's judge prompt (``llmops_eval.judge``) deterministically: equal
    answers tie; otherwise the answer sharing more words with the prompt wins, else a tie."""
    from ..fake_model import words
    from ..hashing import normalise

    if JUDGE_MARKER not in prompt:
        return "TIE"
    sections: Dict[str, str] = {}
    current = None
    for line in prompt.splitlines():
        if line.startswith("[[") and line.endswith("]]"):
            current = line[2:-2]
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    first, second = sections.get("RESPONSE A", ""), sections.get("RESPONSE B", "")
    if normalise(first) == normalise(second):
        return "TIE"
    asked = words(sections.get("PROMPT", ""))
    a, b = len(words(first) & asked), len(words(second) & asked)
    return "A" if a > b else "B" if b > a else "TIE"


class FakePubSub(PubSub):
    def __init__(self, directory: str):
        self.directory = os.path.join(directory, "pubsub")

    def publish(self, topic: str, data: bytes, attributes: Dict[str, str]) -> str:
        if not topic.startswith("projects/") or "/topics/" not in topic:
            raise StepError(f"topic {topic!r} is not a Pub/Sub topic name; allowed: projects/PROJECT/topics/TOPIC")
        if _failing("pubsub"):
            raise StepError(f"Pub/Sub publish to {topic}: HTTP 503 UNAVAILABLE: injected by {FAIL_ENV}")
        path = os.path.join(self.directory, topic.replace("/", "_") + ".jsonl")
        os.makedirs(self.directory, exist_ok=True)
        existing = sum(1 for _ in open(path, encoding="utf-8")) if os.path.exists(path) else 0
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"data": data.decode("utf-8"), "attributes": attributes}, sort_keys=True) + "\n")
        return str(existing + 1)


class FakeOpenModel(OpenModel):
    def __init__(self, model_dir: str):
        self.model = FakeModel.load(os.path.join(local_path(model_dir), FILE_NAME))

    def generate(self, prompts: List[str], max_tokens: int) -> List[str]:
        return [self.model.generate(p) for p in prompts]


class FakeGoogle(GoogleServices):
    def __init__(self, directory: str):
        self.directory = directory
        self.bigquery = FakeBigQuery(directory)
        self.vertex = FakeVertex(directory)
        self.pubsub = FakePubSub(directory)

    def service_account_email(self) -> str:
        return FAKE_ACCOUNT

    def open_model(self, model_dir: str) -> OpenModel:
        return FakeOpenModel(model_dir)
