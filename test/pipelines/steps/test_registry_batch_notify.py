"""llmops_registry, llmops_batch and llmops_notify against the fakes."""

import contextlib
import datetime
import io
import json
import os

from support import FIXTURES, Sandbox, env

from llmops_batch import manifest, predict, prepare
from llmops_common.errors import StepError
from llmops_notify import report
from llmops_registry import register, resolve
from llmops_tuning import gemini_sft, lora_job
from test_tuning import IMAGE, PARENT, WithSplit

SERVING = "us-central1-docker.pkg.dev/fixture-project/llmops-images-dev/vllm@sha256:" + "b" * 64


class RegistryCase(WithSplit):
    def register(self, model_uri: str, method: str, *extra: str) -> str:
        executor_input, output_file = self.executor_input({"model": "google.VertexModel"})
        self.put("gs://root/metrics", json.dumps({"exact_match": 0.75, "rougeL": 0.8}))
        self.assert_ok(register.main, ["--model-uri", model_uri, "--tuning-method", method, "--display-name", "support", "--eval-score", "0.75", "--metrics", "gs://root/metrics", "--version-aliases", '["candidate"]', "--project", "fixture-project", "--location", "us-central1", "--executor-input", executor_input, "--version-name-file", self.path("out", "version"), *extra])
        name = self.read(self.path("out", "version"))
        artifact = json.loads(self.read(output_file))["artifacts"]["model"]["artifacts"][0]
        self.assertEqual(artifact["metadata"]["resourceName"], name)
        self.assertEqual(artifact["uri"], f"https://us-central1-aiplatform.googleapis.com/v1/{name}")
        return name

    def lora_model(self, folder: str) -> str:
        self.assert_ok(lora_job.main, ["--display-name", "d", "--trainer-image", IMAGE, "--base-model", "b", "--train-data", self.train_uri, "--eval-data", self.eval_uri, "--machine-type", "m", "--base-output-dir", folder, "--project", "fixture-project", "--location", "us-central1", "--gcp-resources", self.path("g"), "--poll-seconds", "0"])
        return f"{folder}/model"


class Register(RegistryCase):
    def test_an_open_model_is_uploaded_as_a_new_version_of_its_parent(self):
        first = self.register(self.lora_model("gs://models/a"), "gemma-lora", "--serving-image", SERVING)
        self.assertRegex(first, rf"^{PARENT}/models/\d+@1$")
        second = self.register(self.lora_model("gs://models/b"), "gemma-lora", "--serving-image", SERVING, "--parent-model", first.split("@")[0])
        self.assertEqual(second, first.replace("@1", "@2"))
        from llmops_common.google import services

        model = services().vertex.get_model(f"{first.split('@')[0]}@candidate")
        self.assertEqual(model["versionId"], "2", "the candidate alias moved to the new version")

    def test_a_tuned_gemini_model_gets_the_alias_on_its_version(self):
        self.assert_ok(gemini_sft.main, ["--base-model", "gemini-2.0-flash-001", "--train-data", self.train_uri, "--eval-data", self.eval_uri, "--display-name", "s", "--project", "fixture-project", "--location", "us-central1", "--model-uri-file", self.path("m"), "--gcp-resources", self.path("g"), "--poll-seconds", "0"])
        name = self.register(self.read(self.path("m")), "gemini-sft")
        from llmops_common.google import services

        self.assertIn("candidate", services().vertex.get_model(name)["versionAliases"])

    def test_an_open_model_needs_a_pinned_serving_image(self):
        executor_input, _ = self.executor_input({"model": "google.VertexModel"})
        base = ["--model-uri", "gs://m/model", "--tuning-method", "gemma-lora", "--display-name", "s", "--eval-score", "0.9", "--project", "p", "--location", "us-central1", "--executor-input", executor_input, "--version-name-file", self.path("v")]
        self.assert_fails(register.main, base, "serving_image_uri is empty")
        self.assert_fails(register.main, [*base, "--serving-image", "vllm/vllm-openai:latest"], "is not pinned by digest")
        with env(LLMOPS_FAKE_FAIL="models.upload"):
            self.assert_fails(register.main, [*base, "--serving-image", SERVING], "models.upload: HTTP 500 INTERNAL")


class Resolve(RegistryCase):
    def test_a_model_name_or_alias_resolves_to_its_version(self):
        name = self.register(self.lora_model("gs://models/a"), "gemma-lora", "--serving-image", SERVING)
        model_id = name.split("@")[0].rsplit("/", 1)[1]
        with contextlib.redirect_stdout(io.StringIO()):
            resolved = resolve.resolve(f"{model_id}@candidate", "fixture-project", "us-central1")
        self.assertEqual(resolved, {"resourceName": name, "instanceFormat": "prompt", "displayName": "support"})
        with self.assertRaisesRegex(StepError, "no version or alias 'stable'"):
            resolve.resolve(f"{model_id}@stable", "fixture-project", "us-central1")
        with self.assertRaisesRegex(StepError, "neither a full name nor a model id"):
            resolve.full_name("models/1", "p", "l")


class Batch(RegistryCase):
    def test_dates_come_from_the_run_then_the_schedule_then_today(self):
        today = datetime.date(2026, 3, 9)
        self.assertEqual(prepare.prediction_date("2026-03-01", "2026-03-05T02:30:00Z", today), "2026-03-01")
        self.assertEqual(prepare.prediction_date("", "2026-03-05T23:30:00-02:00", today), "2026-03-06")
        self.assertEqual(prepare.prediction_date("", "", today), "2026-03-09")
        with self.assertRaisesRegex(StepError, "allowed: YYYY-MM-DD"):
            prepare.prediction_date("03/01/2026", "", today)

    def test_prompts_predictions_and_manifest(self):
        with open(os.path.join(FIXTURES, "batch-2026-03-01.jsonl"), encoding="utf-8") as handle:
            self.put("gs://inputs/reviews/2026-03-01/part-0.jsonl", handle.read())
        template = "Classify the sentiment of this review.\nReview: {text}"
        self.assert_ok(prepare.main, ["--input-uri", "gs://inputs/reviews/{date}/*.jsonl", "--prompt-template", template, "--date", "2026-03-01", "--schedule-time", "", "--text-field", "text", "--instances", self.path("task", "instances"), "--row-count-file", self.path("out", "rows")])
        instances = self.read_lines(self.path("task", "instances"))
        self.assertEqual(self.read(self.path("out", "rows")), "3")
        self.assertEqual(instances[0]["prompt"], "Classify the sentiment of this review.\nReview: The kettle is great, I love it.")
        self.assertRegex(instances[0]["key"], r"^[0-9a-f]{16}$")

        name = self.register(self.lora_model("gs://models/a"), "gemma-lora", "--serving-image", SERVING)
        model_input = {"model": {"uri": "x", "metadata": {"resourceName": name, "instanceFormat": "prompt"}}}
        executor_input, output_file = self.executor_input({"batch_job": "google.VertexBatchPredictionJob"}, model_input)
        self.assert_ok(predict.main, ["--model", name, "--instances", self.path("task", "instances"), "--output-uri-prefix", "gs://batch/predictions", "--display-name", "nightly-1", "--project", "fixture-project", "--location", "us-central1", "--predictions-uri-file", self.path("out", "predictions"), "--gcp-resources", self.path("out", "gcp"), "--executor-input", executor_input, "--poll-seconds", "0"])
        directory = self.read(self.path("out", "predictions"))
        self.assertRegex(directory, r"^gs://batch/predictions/nightly-1/prediction-\d+$")
        predictions = self.read_lines(f"{directory}/predictions_00001.jsonl")
        self.assertEqual(len(predictions), 3)
        self.assertEqual(predictions[0]["key"], instances[0]["key"])
        self.assertNotIn("key", predictions[0]["instance"], "the key field is not sent to the model")
        self.assertIn(predictions[0]["prediction"], {"positive", "negative", "neutral"})
        self.assertIn("resourceName", json.loads(self.read(output_file))["artifacts"]["batch_job"]["artifacts"][0]["metadata"])

        self.assert_ok(manifest.main, ["--output-uri-prefix", "gs://batch/predictions", "--model", name, "--inputs", '["gs://inputs/reviews/{date}/*.jsonl"]', "--job-name", "nightly-1"])
        document = json.loads(self.read("gs://batch/predictions/nightly-1/_MANIFEST.json"))
        self.assertEqual(document["model"], name)
        self.assertEqual([f["uri"] for f in document["outputs"]], [f"{directory}/predictions_00001.jsonl"])
        self.assertRegex(document["outputs"][0]["sha256"], r"^[0-9a-f]{64}$")

    def test_gemini_models_get_request_lines_and_no_machines(self):
        body = predict.job_body("d", "projects/p/locations/l/models/1@1", "gs://x", "gs://o", "gemini", "m", "NVIDIA_L4", 1, 2)
        self.assertNotIn("dedicatedResources", body)
        self.assertNotIn("instanceConfig", body)
        self.put("gs://x/instances.jsonl", json.dumps({"key": "k", "prompt": "Hi"}) + "\n")
        self.assertEqual(predict.gemini_requests("gs://x/instances.jsonl", "gs://x/requests.jsonl"), 1)
        self.assertEqual(self.read_lines("gs://x/requests.jsonl"), [{"request": {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}}])

    def test_missing_rows_and_fields_are_named(self):
        self.put("gs://inputs/empty.jsonl", "\n")
        self.assert_fails(prepare.main, ["--input-uri", "gs://inputs/empty.jsonl", "--prompt-template", "{text}", "--instances", self.path("i"), "--row-count-file", self.path("r")], "has no rows for")
        self.put("gs://inputs/other.jsonl", json.dumps({"body": "x"}) + "\n")
        self.assert_fails(prepare.main, ["--input-uri", "gs://inputs/other.jsonl", "--prompt-template", "{text}", "--instances", self.path("i"), "--row-count-file", self.path("r")], "gs://inputs/other.jsonl:1: prompt template needs field 'text'")
        self.assert_fails(manifest.main, ["--output-uri-prefix", "gs://batch/none", "--model", "m", "--inputs", "[]", "--job-name", "j"], "gs://batch/none/j does not exist")


class Notify(Sandbox):
    STATUS = json.dumps({"state": "FAILED", "pipelineJobResourceName": "projects/p/locations/l/pipelineJobs/run-1", "pipelineTaskName": "exit-handler-1", "error": {"code": 9, "message": "task evaluate-model failed"}})

    def test_logs_and_publishes_the_final_status(self):
        out = self.assert_ok(report.main, ["--status", self.STATUS, "--pipeline", "tune-and-evaluate", "--topic", "projects/p/topics/runs"])
        self.assertIn("pipeline tune-and-evaluate run projects/p/locations/l/pipelineJobs/run-1 ended FAILED: task evaluate-model failed", out)
        published = self.read_lines(os.path.join(self.tmp, "fake", "pubsub", "projects_p_topics_runs.jsonl"))
        self.assertEqual(published[0]["attributes"], {"pipeline": "tune-and-evaluate", "state": "FAILED"})
        self.assertEqual(json.loads(published[0]["data"])["error"]["message"], "task evaluate-model failed")

    def test_without_a_topic_it_only_logs(self):
        out = self.assert_ok(report.main, ["--status", json.dumps({"state": "SUCCEEDED"}), "--pipeline", "p", "--topic", ""])
        self.assertIn("ended SUCCEEDED", out)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "fake", "pubsub")))

    def test_bad_status_and_failed_publishing_fail(self):
        self.assert_fails(report.main, ["--status", "{}", "--pipeline", "p"], "--status has no state")
        with env(LLMOPS_FAKE_FAIL="pubsub"):
            self.assert_fails(report.main, ["--status", self.STATUS, "--pipeline", "p", "--topic", "projects/p/topics/runs"], "HTTP 503 UNAVAILABLE")


if __name__ == "__main__":
    import unittest

    unittest.main()
