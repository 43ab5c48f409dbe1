"""llmops_common: executor protocol, storage, JSONL errors, the shared prompt format, hashing."""

import json
import os
import unittest

from support import FIXTURES, Sandbox

from llmops_common.errors import StepError
from llmops_common.executor import ExecutorOutput, metric_values, parse_executor_input, parse_int, parse_json_list, write_output_parameter
from llmops_common.hashing import normalise, unit_interval
from llmops_common.jsonl import read_records
from llmops_common.prompts import example_parts, format_prompt, template_fields, tuning_example
from llmops_common.storage import expand, join, local_path, to_uri


class ExecutorProtocol(Sandbox):
    def test_output_parameters_are_written_as_the_sdk_serialises_them(self):
        cases = {"s": ("text", "text"), "i": (3, "3"), "d": (0.25, "0.25"), "b": (True, "true"), "l": (["a", 1], '["a", 1]'), "m": ({"b": 1, "a": 2}, '{"a": 2, "b": 1}')}
        for name, (value, text) in cases.items():
            path = self.path("outputs", name)
            write_output_parameter(path, value)
            self.assertEqual(self.read(path), text)

    def test_non_finite_outputs_are_refused(self):
        with self.assertRaisesRegex(StepError, "not a finite number"):
            write_output_parameter(self.path("x"), float("nan"))

    def test_executor_output_carries_artifact_metadata_and_parameters(self):
        text, output_file = self.executor_input({"metrics": "system.Metrics"})
        out = ExecutorOutput(parse_executor_input(text))
        out.artifact("metrics", {"rougeL": 0.5})
        out.artifact("metrics", {"bleu": 0.1})
        out.parameter("score", 0.5)
        out.write()
        document = json.loads(self.read(output_file))
        self.assertEqual(document["parameterValues"], {"score": 0.5})
        entry = document["artifacts"]["metrics"]["artifacts"][0]
        self.assertEqual(entry["metadata"], {"rougeL": 0.5, "bleu": 0.1})
        self.assertEqual(entry["uri"], self.path("task", "metrics"))

    def test_unknown_output_artifacts_and_bad_executor_input_are_clear_errors(self):
        text, _ = self.executor_input({})
        with self.assertRaisesRegex(StepError, "no output artifact 'model'"):
            ExecutorOutput(parse_executor_input(text)).artifact("model", {})
        with self.assertRaisesRegex(StepError, "--executor-input is not JSON"):
            parse_executor_input("{{$}}")

    def test_numbers_as_placeholders_render_them(self):
        self.assertEqual(parse_int("--n", "3"), 3)
        self.assertEqual(parse_int("--n", "3.0"), 3)
        with self.assertRaisesRegex(StepError, "allowed: an integer"):
            parse_int("--n", "3.5")
        self.assertEqual(parse_json_list("--l", '["a"]'), ["a"])
        with self.assertRaisesRegex(StepError, "a JSON list"):
            parse_json_list("--l", '{"a": 1}')

    def test_metrics_must_be_finite_numbers(self):
        self.assertEqual(metric_values({"b": 1, "a": 0.5}), {"a": 0.5, "b": 1})
        with self.assertRaisesRegex(StepError, "metric 'x'"):
            metric_values({"x": "high"})


class Storage(Sandbox):
    def test_gcs_uris_map_to_the_fuse_root_and_back(self):
        self.assertEqual(local_path("gs://bucket/a/b.jsonl"), os.path.join(self.gcs, "bucket", "a", "b.jsonl"))
        self.assertEqual(to_uri(os.path.join(self.gcs, "bucket", "a")), "gs://bucket/a")
        self.assertEqual(local_path("/tmp/x"), "/tmp/x")
        self.assertEqual(join("gs://b/", "x/", "/y"), "gs://b/x/y")
        with self.assertRaisesRegex(StepError, "allowed: gs://"):
            local_path("s3://bucket/x")

    def test_expand_reads_files_globs_and_folders_in_a_stable_order(self):
        self.put("gs://b/day=2/b.jsonl", "{}\n")
        self.put("gs://b/day=1/a.jsonl", "{}\n")
        self.put("gs://b/day=1/notes.txt", "")
        self.assertEqual([to_uri(p) for p in expand("gs://b/day=*/*.jsonl")], ["gs://b/day=1/a.jsonl", "gs://b/day=2/b.jsonl"])
        self.assertEqual([to_uri(p) for p in expand("gs://b")], ["gs://b/day=1/a.jsonl", "gs://b/day=2/b.jsonl"])
        with self.assertRaisesRegex(StepError, "gs://b/none.jsonl does not exist"):
            expand("gs://b/none.jsonl")
        with self.assertRaisesRegex(StepError, "matches no .jsonl file"):
            expand("gs://b/*.csv")


class Jsonl(unittest.TestCase):
    def test_bad_lines_name_the_file_and_line(self):
        with self.assertRaises(StepError) as caught:
            list(read_records(os.path.join(FIXTURES, "bad-json.jsonl")))
        self.assertRegex(str(caught.exception), r"bad-json\.jsonl:3: invalid JSON")

    def test_non_objects_are_errors_and_blank_lines_are_skipped(self):
        lines = list(read_records(os.path.join(FIXTURES, "missing-target.jsonl")))
        self.assertEqual([n for n, _ in lines], [1, 3])


class Prompts(unittest.TestCase):
    GEMMA = "<start_of_turn>user\n{instruction}\n\n{context}<end_of_turn>\n<start_of_turn>model\n"

    def test_the_model_versions_template_fills_from_the_record(self):
        prompt = format_prompt(self.GEMMA, {"instruction": "Classify", "context": "Great lamp"})
        self.assertEqual(prompt, "<start_of_turn>user\nClassify\n\nGreat lamp<end_of_turn>\n<start_of_turn>model\n")

    def test_text_falls_back_to_the_text_field_and_braces_can_be_literal(self):
        self.assertEqual(format_prompt("Review: {text} {{json}}", {"review": "ok"}, text_field="review"), "Review: ok {json}")
        self.assertEqual(format_prompt("{stars} stars", {"stars": 4}), "4 stars")

    def test_missing_fields_and_unsafe_slots_are_refused(self):
        with self.assertRaisesRegex(StepError, "needs field 'context'.*fields: instruction"):
            format_prompt(self.GEMMA, {"instruction": "x"})
        for template in ("{text.__class__}", "{text[0]}", "{text!r}", "{text:>10}"):
            with self.assertRaisesRegex(StepError, "is not allowed"):
                template_fields(template)
        with self.assertRaisesRegex(StepError, "malformed"):
            template_fields("{text")
        with self.assertRaisesRegex(StepError, "field 'meta' is a dict"):
            format_prompt("{meta}", {"meta": {"a": 1}})

    def test_tuning_examples_round_trip(self):
        example = tuning_example("Q?", "A.")
        self.assertEqual(example, {"contents": [{"role": "user", "parts": [{"text": "Q?"}]}, {"role": "model", "parts": [{"text": "A."}]}]})
        self.assertEqual(example_parts(example), ("Q?", "A."))
        with self.assertRaisesRegex(StepError, "a user turn and a model turn"):
            example_parts({"contents": [{"role": "user", "parts": [{"text": "Q?"}]}]})
        with self.assertRaisesRegex(StepError, "not a tuning example"):
            example_parts({"text": "Q?"})


class Hashing(unittest.TestCase):
    def test_normalisation_and_unit_interval_are_stable(self):
        self.assertEqual(normalise("  Hello\tWORLD "), "hello world")
        value = unit_interval(42, "key")
        self.assertEqual(value, unit_interval(42, "key"))
        self.assertNotEqual(value, unit_interval(43, "key"))
        self.assertTrue(0 <= value < 1)


if __name__ == "__main__":
    unittest.main()
