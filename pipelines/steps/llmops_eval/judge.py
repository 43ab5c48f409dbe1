"""The win-rate judge: a Gemini model compares the tuned model's answer with the reference answer.

For each example the judge sees the prompt and both answers as "A" and "B" (which is which
follows a hash of the prompt, so position bias averages out and reruns ask the same questions)
and answers ``A``, ``B`` or ``TIE``. The win rate is (wins + ties / 2) / examples: 0.5 means
the model is as good as the references. The judge runs at temperature 0.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Dict, List, Sequence, Tuple

from llmops_common.errors import StepError

MARKER = "[llmops-judge]"
INSTRUCTIONS = (
    "You are judging two answers to the same prompt. Decide which answer is better: correct, "
    "complete and no longer than needed. Reply with exactly one word: A, B or TIE."
)


def judge_prompt(prompt: str, first: str, second: str) -> str:
    return "\n".join([MARKER, INSTRUCTIONS, "[[PROMPT]]", prompt, "[[RESPONSE A]]", first, "[[RESPONSE B]]", second, "[[VERDICT]]"])


def candidate_first(prompt: str) -> bool:
    return hashlib.sha256(prompt.encode("utf-8")).digest()[0] % 2 == 0


def parse_verdict(answer: str) -> str:
    word = answer.strip().split()[0].strip(".:*\"'").upper() if answer.strip() else ""
    if word not in ("A", "B", "TIE"):
        raise StepError(f"the judge answered {answer[:80]!r}; expected A, B or TIE")
    return word


def win_rate(examples: Sequence[Tuple[str, str, str]], ask: Callable[[str], str]) -> Dict[str, float]:
    """``examples`` are ``(prompt, reference, candidate)``; ``ask`` sends a judge prompt."""
    wins = ties = losses = 0
    for prompt, reference, candidate in examples:
        first = candidate_first(prompt)
        verdict = parse_verdict(ask(judge_prompt(prompt, candidate if first else reference, reference if first else candidate)))
        if verdict == "TIE":
            ties += 1
        elif (verdict == "A") == first:
            wins += 1
        else:
            losses += 1
    total = wins + ties + losses
    rates: List[float] = [(wins + ties / 2) / total if total else 0.0]
    return {"win_rate": rates[0], "judge_wins": float(wins), "judge_ties": float(ties), "judge_losses": float(losses)}
