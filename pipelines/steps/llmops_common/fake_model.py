"""A stand-in for a tuned language model, for the local fakes only.

It "tunes" by remembering its training examples and answers a prompt with the target of the most
similar training prompt (Jaccard similarity of word sets, ties to the earliest example). That is
enough to make evaluation scores real numbers that depend on the data, deterministic from run to
run, so a local run exercises both sides of the evaluation gate with a threshold.
"""

from __future__ import annotations

import json
import re
from typing import List, Sequence, Tuple

from .errors import StepError
from .jsonl import read_records
from .prompts import example_parts

FORMAT = "llmops-fake-model/1"
FILE_NAME = "llmops-fake-model.json"
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> frozenset:
    return frozenset(_WORD.findall(text.lower()))


class FakeModel:
    def __init__(self, base_model: str, examples: Sequence[Tuple[str, str]]):
        if not examples:
            raise StepError("cannot tune on an empty training set")
        self.base_model = base_model
        self.examples = [(str(p), str(t)) for p, t in examples]
        self._index = [(words(p), t) for p, t in self.examples]

    @classmethod
    def tune(cls, base_model: str, train_files: Sequence[str], epochs: int = 1) -> "FakeModel":
        examples: List[Tuple[str, str]] = []
        for path in train_files:
            for line, record in read_records(path):
                try:
                    examples.append(example_parts(record))
                except StepError as err:
                    raise StepError(err.message, path, line) from None
        return cls(base_model, examples)

    def generate(self, prompt: str) -> str:
        query = words(prompt)
        best, best_score = self._index[0][1], -1.0
        for example_words, target in self._index:
            union = len(query | example_words)
            score = len(query & example_words) / union if union else 0.0
            if score > best_score:
                best, best_score = target, score
        return best

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "baseModel": self.base_model, "examples": self.examples}, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, where: str) -> "FakeModel":
        try:
            value = json.loads(text)
        except ValueError:
            raise StepError("is not a fake model file", where) from None
        if not isinstance(value, dict) or value.get("format") != FORMAT:
            raise StepError(f"is not a {FORMAT} file", where)
        return cls(str(value.get("baseModel", "")), [tuple(e) for e in value.get("examples", [])])

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.to_json())

    @classmethod
    def load(cls, path: str) -> "FakeModel":
        try:
            with open(path, "r", encoding="utf-8") as handle:
                return cls.from_json(handle.read(), path)
        except FileNotFoundError:
            raise StepError("does not exist: no fake model was written there", path) from None
