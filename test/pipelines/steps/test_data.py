"""llmops_data: BigQuery export and the deterministic, deduplicated train/evaluation split."""

import json

from support import Sandbox

from llmops_common.prompts import example_parts
from llmops_data import export_bigquery, split


class ExportBigQuery(Sandbox):
    def test_exports_every_row_with_every_column(self):
        output = self.path("task", "dataset")
        out = self.assert_ok(export_bigquery.main, ["--source-uri", "bq://fixture-project.support.reviews", "--text-field", "text", "--target-field", "target", "--max-examples", "0", "--project", "p", "--output", output])
        rows = self.read_lines(output)
        self.assertEqual(len(rows), 46)
        self.assertEqual(sorted(rows[0]), ["id", "stars", "target", "text"])
        self.assertIn("exported 46 rows", out)

    def test_max_examples_limits_the_rows(self):
        output = self.path("dataset")
        self.assert_ok(export_bigquery.main, ["--source-uri", "bq://fixture-project.support.reviews", "--max-examples", "5", "--output", output])
        self.assertEqual(len(self.read_lines(output)), 5)

    def test_bad_sources_and_columns_are_named(self):
        self.assert_fails(export_bigquery.main, ["--source-uri", "gs://b/x.jsonl", "--output", self.path("o")], "is not a BigQuery table")
        self.assert_fails(export_bigquery.main, ["--source-uri", "bq://fixture-project.support.missing", "--output", self.path("o")], "fixture-project.support.missing not found")
        self.assert_fails(export_bigquery.main, ["--source-uri", "bq://fixture-project.support.reviews", "--text-field", "body", "--output", self.path("o")], "bq://fixture-project.support.reviews: has no column 'body'", "columns: id, stars, target, text")


class Split(Sandbox):
    def split_args(self, *extra: str, input_uri: str = "gs://datasets/raw/reviews.jsonl") -> list:
        return [
            "--input", input_uri, "--output-prefix", "gs://datasets/reviews", "--run-id", "run-1",
            "--text-field", "text", "--target-field", "target", "--eval-fraction", "0.25", "--seed", "42", "--max-examples", "0",
            "--train-uri-file", self.path("out", "train_uri"), "--eval-uri-file", self.path("out", "eval_uri"), "--stats", self.path("task", "stats"), *extra,
        ]

    def test_writes_tuning_files_and_their_uris_with_metrics(self):
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        executor_input, output_file = self.executor_input({"stats": "system.Metrics"})
        self.assert_ok(split.main, self.split_args("--prompt-template", "Classify the review.\nReview: {text}", "--executor-input", executor_input))
        self.assertEqual(self.read(self.path("out", "train_uri")), "gs://datasets/reviews/run-1/train.jsonl")
        self.assertEqual(self.read(self.path("out", "eval_uri")), "gs://datasets/reviews/run-1/evaluation.jsonl")
        train = [example_parts(r) for r in self.read_lines("gs://datasets/reviews/run-1/train.jsonl")]
        evaluation = [example_parts(r) for r in self.read_lines("gs://datasets/reviews/run-1/evaluation.jsonl")]
        self.assertTrue(all(p.startswith("Classify the review.\nReview: ") for p, _ in train + evaluation))
        stats = json.loads(self.read(output_file))["artifacts"]["stats"]["artifacts"][0]["metadata"]
        self.assertEqual(stats["rows_read"], 49)
        self.assertEqual(stats["duplicates_dropped"], 3)  # exact, case/space variant, conflicting target
        self.assertEqual(stats["conflicting_duplicates"], 1)
        self.assertEqual(stats["train_examples"] + stats["eval_examples"], 46)
        self.assertEqual(stats["train_examples"], len(train))
        self.assertEqual(json.loads(self.read(self.path("task", "stats"))), stats)
        self.assertFalse({p for p, _ in train} & {p for p, _ in evaluation}, "an example is in both splits")

    def test_reruns_split_the_same_way_and_more_data_moves_nothing(self):
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        self.assert_ok(split.main, self.split_args())
        first = self.read("gs://datasets/reviews/run-1/evaluation.jsonl")
        self.assert_ok(split.main, self.split_args())
        self.assertEqual(self.read("gs://datasets/reviews/run-1/evaluation.jsonl"), first)
        extra = self.read("gs://datasets/raw/reviews.jsonl") + json.dumps({"text": "A brand new kettle review, great.", "target": "positive"}) + "\n"
        self.put("gs://datasets/raw/more.jsonl", extra)
        self.assert_ok(split.main, self.split_args(input_uri="gs://datasets/raw/more.jsonl"))
        before = set(first.splitlines())
        after = set(self.read("gs://datasets/reviews/run-1/evaluation.jsonl").splitlines())
        self.assertTrue(before <= after)

    def test_a_different_seed_splits_differently(self):
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        self.assert_ok(split.main, self.split_args())
        first = self.read("gs://datasets/reviews/run-1/evaluation.jsonl")
        args = self.split_args()
        args[args.index("--seed") + 1] = "7"
        self.assert_ok(split.main, args)
        self.assertNotEqual(self.read("gs://datasets/reviews/run-1/evaluation.jsonl"), first)

    def test_bad_data_names_the_file_and_line(self):
        self.copy_fixture("bad-json.jsonl", "gs://datasets/raw/bad.jsonl")
        self.assert_fails(split.main, self.split_args(input_uri="gs://datasets/raw/bad.jsonl"), "gs://datasets/raw/bad.jsonl:3: invalid JSON")
        self.copy_fixture("missing-target.jsonl", "gs://datasets/raw/missing.jsonl")
        self.assert_fails(split.main, self.split_args(input_uri="gs://datasets/raw/missing.jsonl"), "gs://datasets/raw/missing.jsonl:3: target field 'target' is missing")
        self.put("gs://datasets/raw/empty-text.jsonl", json.dumps({"text": " ", "target": "x"}) + "\n")
        self.assert_fails(split.main, self.split_args(input_uri="gs://datasets/raw/empty-text.jsonl"), "empty-text.jsonl:1: text field 'text' must be non-empty text")
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        self.assert_fails(split.main, self.split_args("--prompt-template", "{instruction}: {text}"), "reviews.jsonl:1: prompt template needs field 'instruction'")

    def test_bad_settings_are_refused_before_anything_is_written(self):
        self.copy_fixture("reviews.jsonl", "gs://datasets/raw/reviews.jsonl")
        args = self.split_args()
        args[args.index("--eval-fraction") + 1] = "1.5"
        self.assert_fails(split.main, args, "eval_fraction is 1.5; allowed: more than 0 and less than 1")
        args = self.split_args()
        args[args.index("--run-id") + 1] = "../escape"
        self.assert_fails(split.main, args, "is not a folder name")
        args = self.split_args()
        args[args.index("--max-examples") + 1] = "2"
        self.assert_fails(split.main, args, "the split left")


if __name__ == "__main__":
    import unittest

    unittest.main()
