"""Text-generation metrics, written from their definitions (no package):

- ROUGE-L: F-measure of the longest common subsequence of tokens (Lin, 2004, "ROUGE: A Package
  for Automatic Evaluation of Summaries", section 3.1), averaged over examples.
- ROUGE-Lsum: the summary-level variant: texts split into sentences at newlines, each reference
  sentence scored by the union of its LCS matches with every candidate sentence (section 3.2);
  equal to ROUGE-L for single-line texts.
- Exact match: share of answers equal to the reference after Unicode, case and whitespace
  normalisation.
- BLEU: corpus BLEU-4 (Papineni et al., 2002): clipped n-gram precisions for n = 1..4 summed over
  the corpus, their geometric mean, times the brevity penalty; 0 when some order has no match.

Tokens are lowercased runs of letters and digits, as the ROUGE reference tokenizer without stemming.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Dict, List, Sequence, Set, Tuple

from llmops_common.hashing import normalise

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TOKENS = 4000  # bounds the O(n·m) LCS on pathological outputs


def tokens(text: str) -> List[str]:
    return _TOKEN.findall(text.lower())[:MAX_TOKENS]


def _lcs_table(a: Sequence[str], b: Sequence[str]) -> List[List[int]]:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        row, previous = table[i], table[i - 1]
        for j in range(1, len(b) + 1):
            row[j] = previous[j - 1] + 1 if a[i - 1] == b[j - 1] else max(previous[j], row[j - 1])
    return table


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    return _lcs_table(a, b)[len(a)][len(b)] if a and b else 0


def _lcs_positions(reference: Sequence[str], candidate: Sequence[str]) -> Set[int]:
    """Indices of ``reference`` on one longest common subsequence with ``candidate``."""
    table = _lcs_table(reference, candidate)
    i, j, positions = len(reference), len(candidate), set()
    while i > 0 and j > 0:
        if reference[i - 1] == candidate[j - 1]:
            positions.add(i - 1)
            i, j = i - 1, j - 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return positions


def _f_measure(overlap: float, reference_length: int, candidate_length: int) -> float:
    if overlap == 0 or reference_length == 0 or candidate_length == 0:
        return 0.0
    recall, precision = overlap / reference_length, overlap / candidate_length
    return 2 * precision * recall / (precision + recall)


def rouge_l(reference: str, candidate: str) -> float:
    ref, cand = tokens(reference), tokens(candidate)
    return _f_measure(lcs_length(ref, cand), len(ref), len(cand))


def rouge_lsum(reference: str, candidate: str) -> float:
    ref_sentences = [tokens(s) for s in reference.split("\n") if tokens(s)]
    cand_sentences = [tokens(s) for s in candidate.split("\n") if tokens(s)]
    ref_length = sum(len(s) for s in ref_sentences)
    cand_length = sum(len(s) for s in cand_sentences)
    overlap = 0
    for ref in ref_sentences:
        union: Set[int] = set()
        for cand in cand_sentences:
            union |= _lcs_positions(ref, cand)
        overlap += len(union)
    return _f_measure(overlap, ref_length, cand_length)


def exact_match(reference: str, candidate: str) -> float:
    return 1.0 if normalise(reference) == normalise(candidate) else 0.0


def _ngrams(words: Sequence[str], n: int) -> Counter:
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def corpus_bleu(pairs: Sequence[Tuple[str, str]], max_order: int = 4) -> float:
    matches, totals = [0] * max_order, [0] * max_order
    ref_length = cand_length = 0
    for reference, candidate in pairs:
        ref, cand = tokens(reference), tokens(candidate)
        ref_length += len(ref)
        cand_length += len(cand)
        for n in range(1, max_order + 1):
            cand_ngrams, ref_ngrams = _ngrams(cand, n), _ngrams(ref, n)
            matches[n - 1] += sum(min(count, ref_ngrams[gram]) for gram, count in cand_ngrams.items())
            totals[n - 1] += max(len(cand) - n + 1, 0)
    if cand_length == 0 or any(m == 0 for m in matches):
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_order
    brevity = 1.0 if cand_length > ref_length else math.exp(1 - ref_length / cand_length)
    return brevity * math.exp(log_precision)


def score_all(pairs: Sequence[Tuple[str, str]]) -> Dict[str, float]:
    """Every metric over ``(reference, candidate)`` pairs, each in [0, 1]."""
    count = len(pairs)
    if count == 0:
        return {"rougeL": 0.0, "rougeLsum": 0.0, "exact_match": 0.0, "bleu": 0.0}
    return {
        "rougeL": sum(rouge_l(r, c) for r, c in pairs) / count,
        "rougeLsum": sum(rouge_lsum(r, c) for r, c in pairs) / count,
        "exact_match": sum(exact_match(r, c) for r, c in pairs) / count,
        "bleu": corpus_bleu(pairs),
    }
