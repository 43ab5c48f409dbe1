"""llmops_tuning and llmops_lora: Gemini tuning jobs, the LoRA CustomJob and its weights, against the fakes."""

import json
import os

from support import Sandbox, env

from llmops_common.fake_model import FILE_NAME
from llmops_data import split
from llmops_lora import train
from llmops_tuning import gemini_sft, lora_job, plan_lora, publish_lora

PARENT = "projects/fixture-project/locations/us-central1"
IMAGE = "us-central1-docker.pkg.dev/fixture-project/llmops-images-dev/llmops-steps-gpu@sha256:" + "a" * 64


class WithSplit(Sandbox):
    def setUp(self) -> None:
        super().setUp()
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        self.assert_ok(split.main, ["--input", "gs://datasets/raw/reviews.jsonl", "--output-prefix", "gs://datasets/reviews", "--run-id", "r", "--eval-fraction", "0.25", "--train-uri-file", self.path("t"), "--eval-uri-file", self.path("e"), "--stats", self.path("s")])
        self.train_uri, self.eval_uri = "gs://datasets/reviews/r/train.jsonl", "gs://datasets/reviews/r/evaluation.jsonl"


class GeminiTuning(WithSplit):
    def args(self, **overrides: str) -> list:
        values = {"--base-model": "gemini-2.0-flash-001", "--train-data": self.train_uri, "--eval-data": self.eval_uri, "--display-name": "support", "--epochs": "3", "--learning-rate-multiplier": "1.0", "--project": "fixture-project", "--location": "us-central1", "--model-uri-file": self.path("out", "model_uri"), "--gcp-resources": self.path("out", "gcp_resources"), "--poll-seconds": "0"}
        values.update(overrides)
        return [item for pair in values.items() for item in pair]

    def test_creates_the_job_records_it_and_outputs_the_endpoint(self):
        self.assert_ok(gemini_sft.main, self.args())
        endpoint = self.read(self.path("out", "model_uri"))
        self.assertRegex(endpoint, rf"^{PARENT}/endpoints/\d+$")
        resources = json.loads(self.read(self.path("out", "gcp_resources")))
        self.assertEqual(resources["resources"][0]["resourceType"], "TuningJob")
        self.assertRegex(resources["resources"][0]["resourceUri"], rf"^https://us-central1-aiplatform.googleapis.com/v1/{PARENT}/tuningJobs/\d+$")

    def test_the_body_is_the_tuning_api_s(self):
        body = gemini_sft.tuning_job_body("gemini-2.0-flash-001", "gs://t", "gs://e", "support", 2, 0.5)
        self.assertEqual(body["supervisedTuningSpec"], {"trainingDatasetUri": "gs://t", "validationDatasetUri": "gs://e", "hyperParameters": {"epochCount": "2", "learningRateMultiplier": 0.5}})

    def test_a_failed_job_fails_the_step_with_the_jobs_error(self):
        with env(LLMOPS_FAKE_FAIL="tuningJobs"):
            self.assert_fails(gemini_sft.main, self.args(), "tuning job", "ended JOB_STATE_FAILED: injected by LLMOPS_FAKE_FAIL")
        self.assertTrue(os.path.exists(self.path("out", "gcp_resources")), "the job is recorded before waiting, so it can be cancelled")

    def test_bad_arguments_are_refused(self):
        self.assert_fails(gemini_sft.main, self.args(**{"--epochs": "0"}), "epochs is 0")
        self.assert_fails(gemini_sft.main, self.args(**{"--train-data": ""}), "train_data_uri is empty")


class LoraRun(WithSplit):
    def test_plans_a_folder_per_run(self):
        self.assert_ok(plan_lora.main, ["--model-bucket", "gs://models", "--display-name", "support", "--job-name", "tune-123", "--output-dir-file", self.path("dir")])
        self.assertEqual(self.read(self.path("dir")), "gs://models/support/lora/tune-123")
        self.assert_fails(plan_lora.main, ["--model-bucket", "gs://models", "--display-name", "../x", "--job-name", "j", "--output-dir-file", self.path("dir")], "cannot name a folder")

    def job_args(self, **overrides: str) -> list:
        values = {"--display-name": "support-lora", "--trainer-image": IMAGE, "--base-model": "google/gemma-2-9b-it", "--train-data": self.train_uri, "--eval-data": self.eval_uri, "--epochs": "1", "--lora-rank": "8", "--machine-type": "g2-standard-12", "--accelerator-type": "NVIDIA_L4", "--accelerator-count": "1", "--base-output-dir": "gs://models/support/lora/tune-1", "--project": "fixture-project", "--location": "us-central1", "--gcp-resources": self.path("out", "gcp_resources"), "--poll-seconds": "0"}
        values.update(overrides)
        return [item for pair in values.items() for item in pair]

    def test_the_custom_job_trains_and_publish_finds_the_weights(self):
        self.assert_ok(lora_job.main, self.job_args())
        resources = self.read(self.path("out", "gcp_resources"))
        self.assertIn("/customJobs/", resources)
        self.assertTrue(os.path.isfile(os.path.join(self.gcs, "models/support/lora/tune-1/model", FILE_NAME)))
        summary = json.loads(self.read("gs://models/support/lora/tune-1/model/llmops-lora.json"))
        self.assertEqual((summary["loraRank"], summary["epochs"]), (8, 1))
        self.assert_ok(publish_lora.main, ["--gcp-resources", resources, "--job-output-dir", "gs://models/support/lora/tune-1", "--base-model", "google/gemma-2-9b-it", "--model-uri-file", self.path("out", "model_uri"), "--model-card", self.path("task", "model")])
        self.assertEqual(self.read(self.path("out", "model_uri")), "gs://models/support/lora/tune-1/model")
        card = json.loads(self.read(self.path("task", "model")))
        self.assertEqual((card["method"], card["files"]), ("lora", [FILE_NAME]))

    def test_the_job_body_carries_the_machine_image_and_account(self):
        body = lora_job.custom_job_body("d", IMAGE, ["--epochs=1"], "g2-standard-24", "NVIDIA_L4", 2, "gs://m/x", "sa@p.iam.gserviceaccount.com")
        pool = body["jobSpec"]["workerPoolSpecs"][0]
        self.assertEqual(pool["machineSpec"], {"machineType": "g2-standard-24", "acceleratorType": "NVIDIA_L4", "acceleratorCount": 2})
        self.assertEqual(pool["containerSpec"], {"imageUri": IMAGE, "command": ["python3", "-m", "llmops_lora.train"], "args": ["--epochs=1"]})
        self.assertEqual(body["jobSpec"]["baseOutputDirectory"], {"outputUriPrefix": "gs://m/x"})
        self.assertEqual(body["jobSpec"]["serviceAccount"], "sa@p.iam.gserviceaccount.com")
        with env(LLMOPS_GOOGLE="real"):
            with self.assertRaisesRegex(Exception, "not pinned by digest"):
                lora_job.custom_job_body("d", "trainer:latest", [], "g2-standard-12", "", 0, "gs://m/x", "")

    def test_a_failing_trainer_fails_the_job_and_publish_refuses(self):
        self.assert_fails(lora_job.main, self.job_args(**{"--train-data": "gs://datasets/none.jsonl"}), "CustomJob", "JOB_STATE_FAILED", "gs://datasets/none.jsonl does not exist")
        resources = self.read(self.path("out", "gcp_resources"))
        self.assert_fails(publish_lora.main, ["--gcp-resources", resources, "--job-output-dir", "gs://models/support/lora/tune-1", "--base-model", "b", "--model-uri-file", self.path("u"), "--model-card", self.path("c")], "is JOB_STATE_FAILED")

    def test_publish_refuses_a_folder_without_weights(self):
        self.assert_ok(lora_job.main, self.job_args())
        resources = self.read(self.path("out", "gcp_resources"))
        self.assert_fails(publish_lora.main, ["--gcp-resources", resources, "--job-output-dir", "gs://models/elsewhere", "--base-model", "b", "--model-uri-file", self.path("u"), "--model-card", self.path("c")], "gs://models/elsewhere/model does not exist")
        self.put("gs://models/half/model/config.json", "{}")
        self.assertRaisesRegex(Exception, "expected config.json and \\*.safetensors", publish_lora.weight_files, "gs://models/half/model")


class Trainer(WithSplit):
    def test_needs_the_model_dir_vertex_sets(self):
        with env(AIP_MODEL_DIR=""):
            self.assert_fails(train.main, [f"--base-model=b", f"--train-data={self.train_uri}", f"--eval-data={self.eval_uri}"], "AIP_MODEL_DIR is not set")

    def test_bad_training_data_names_the_file_and_line(self):
        self.put("gs://datasets/bad/train.jsonl", json.dumps({"text": "not a tuning example"}) + "\n")
        with env(AIP_MODEL_DIR="gs://models/x/model"):
            self.assert_fails(train.main, ["--base-model=b", "--train-data=gs://datasets/bad/train.jsonl", f"--eval-data={self.eval_uri}"], "train.jsonl:1: is not a tuning example")


if __name__ == "__main__":
    import unittest

    unittest.main()
