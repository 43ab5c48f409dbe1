"""llmops_eval: the metrics against hand-computed values, the judge, and evaluation of both model kinds."""

import json
import unittest

from support import Sandbox

from llmops_common.errors import StepError
from llmops_eval import evaluate, judge
from llmops_eval.metrics import corpus_bleu, exact_match, lcs_length, rouge_l, rouge_lsum, score_all, tokens
from test_tuning import IMAGE, WithSplit  # noqa: F401  (IMAGE kept for readers: the same fixtures)
from llmops_tuning import gemini_sft, lora_job


class Metrics(unittest.TestCase):
    def test_tokens_are_lowercased_words(self):
        self.assertEqual(tokens("The cat's HAT, 2x!"), ["the", "cat", "s", "hat", "2x"])

    def test_rouge_l_is_the_lcs_f_measure(self):
        # reference "the cat sat on the mat" (6), candidate "the cat on the mat" (5): LCS 5.
        self.assertEqual(lcs_length("a b c d".split(), "a c d".split()), 3)
        precision, recall = 5 / 5, 5 / 6
        self.assertAlmostEqual(rouge_l("the cat sat on the mat", "the cat on the mat"), 2 * precision * recall / (precision + recall))
        self.assertEqual(rouge_l("positive", "negative"), 0.0)
        self.assertEqual(rouge_l("", "x"), 0.0)

    def test_rouge_lsum_unions_sentence_matches(self):
        # Lin (2004) section 3.2's example: r = w1..w5; c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5.
        reference = "w1 w2 w3 w4 w5"
        candidate = "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5"
        union = 4  # w1 w2 (from c1) ∪ w1 w3 w5 (from c2)
        precision, recall = union / 10, union / 5
        self.assertAlmostEqual(rouge_lsum(reference, candidate), 2 * precision * recall / (precision + recall))
        self.assertAlmostEqual(rouge_lsum("a b c", "a c"), rouge_l("a b c", "a c"))

    def test_exact_match_normalises_case_and_space(self):
        self.assertEqual(exact_match("Positive", "  positive "), 1.0)
        self.assertEqual(exact_match("positive", "positive!"), 0.0)

    def test_bleu_is_one_for_identical_text_and_penalises_brevity(self):
        pairs = [("the quick brown fox jumps", "the quick brown fox jumps")]
        self.assertAlmostEqual(corpus_bleu(pairs), 1.0)
        self.assertEqual(corpus_bleu([("the quick brown fox jumps", "the quick")]), 0.0)  # no 3- or 4-gram match
        long_ref = [("a b c d e f g h", "a b c d e f")]
        self.assertAlmostEqual(corpus_bleu(long_ref), __import__("math").exp(1 - 8 / 6))

    def test_score_all_averages_over_examples(self):
        scores = score_all([("positive", "positive"), ("negative", "neutral")])
        self.assertEqual((scores["exact_match"], scores["rougeL"]), (0.5, 0.5))


class Judge(unittest.TestCase):
    def test_verdicts_map_back_to_the_candidate_whatever_its_position(self):
        examples = [(f"prompt {i}", "reference", "candidate") for i in range(20)]
        # A judge that always prefers the candidate, wherever it was placed.
        always = judge.win_rate(examples, lambda text: "A" if text.split("[[RESPONSE A]]\n")[1].startswith("candidate") else "B")
        self.assertEqual((always["win_rate"], always["judge_wins"]), (1.0, 20.0))
        self.assertEqual(judge.win_rate(examples, lambda _t: "TIE")["win_rate"], 0.5)
        positions = {judge.candidate_first(p) for p, _, _ in examples}
        self.assertEqual(positions, {True, False})

    def test_unparseable_verdicts_are_errors(self):
        self.assertEqual(judge.parse_verdict(" a. "), "A")
        with self.assertRaisesRegex(StepError, "expected A, B or TIE"):
            judge.parse_verdict("Response A is better")


class Evaluate(WithSplit):
    def evaluate(self, model_uri: str, method: str, *extra: str) -> dict:
        executor_input, output_file = self.executor_input({"metrics": "system.Metrics"})
        self.assert_ok(evaluate.main, ["--model-uri", model_uri, "--tuning-method", method, "--eval-data", self.eval_uri, "--metric", "exact_match", "--max-examples", "1000", "--project", "fixture-project", "--location", "us-central1", "--score-file", self.path("out", "score"), "--metrics", self.path("task", "metrics"), "--executor-input", executor_input, *extra])
        metadata = json.loads(self.read(output_file))["artifacts"]["metrics"]["artifacts"][0]["metadata"]
        self.assertEqual(float(self.read(self.path("out", "score"))), metadata["exact_match"])
        return metadata

    def test_a_tuned_gemini_model_is_scored_through_its_endpoint(self):
        self.assert_ok(gemini_sft.main, ["--base-model", "gemini-2.0-flash-001", "--train-data", self.train_uri, "--eval-data", self.eval_uri, "--display-name", "s", "--project", "fixture-project", "--location", "us-central1", "--model-uri-file", self.path("m"), "--gcp-resources", self.path("g"), "--poll-seconds", "0"])
        metrics = self.evaluate(self.read(self.path("m")), "gemini-sft", "--judge-model", "gemini-2.0-flash-001")
        self.assertEqual(sorted(metrics), ["bleu", "exact_match", "examples", "judge_losses", "judge_ties", "judge_wins", "rougeL", "rougeLsum", "win_rate"])
        self.assertGreater(metrics["exact_match"], 0.3)
        self.assertLessEqual(metrics["exact_match"], 1.0)
        self.assertEqual(metrics["judge_wins"] + metrics["judge_ties"] + metrics["judge_losses"], metrics["examples"])

    def test_an_open_model_is_scored_from_its_weights_folder(self):
        self.assert_ok(lora_job.main, ["--display-name", "d", "--trainer-image", IMAGE, "--base-model", "google/gemma-2-9b-it", "--train-data", self.train_uri, "--eval-data", self.eval_uri, "--machine-type", "g2-standard-12", "--base-output-dir", "gs://models/s/lora/j", "--project", "fixture-project", "--location", "us-central1", "--gcp-resources", self.path("g"), "--poll-seconds", "0"])
        metrics = self.evaluate("gs://models/s/lora/j/model", "gemma-lora")
        self.assertNotIn("win_rate", metrics)
        self.assertEqual(json.loads(self.read(self.path("task", "metrics")))["rougeL"], metrics["rougeL"])

    def test_settings_that_cannot_work_are_refused(self):
        common = ["--eval-data", self.eval_uri, "--score-file", self.path("s"), "--metrics", self.path("m")]
        self.assert_fails(evaluate.main, ["--model-uri", "gs://m", "--tuning-method", "gemini-sft", *common], "is not a Vertex AI endpoint")
        self.assert_fails(evaluate.main, ["--model-uri", "gs://m", "--tuning-method", "gemma-lora", "--metric", "win_rate", *common], "metric win_rate needs a judge")
        self.assert_fails(evaluate.main, ["--model-uri", "gs://m", "--tuning-method", "full", *common], "tuning_method 'full' is unknown")


if __name__ == "__main__":
    unittest.main()
