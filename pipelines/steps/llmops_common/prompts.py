"""The one prompt format: data preparation, evaluation and batch prediction all go through here,
so a model is asked in production exactly as it was tuned.

A template is a model version's ``promptTemplate`` (``llmops:models.<name>.versions.<v>``), with
``{field}`` slots filled from a record's fields, e.g.
``"<start_of_turn>user\\n{instruction}<end_of_turn>\\n<start_of_turn>model\\n"``. ``{text}`` is also
the record's text field (``text_field``), so ``"Review: {text}"`` works on any column name.
``{{`` and ``}}`` are literal braces. Only plain names are allowed in slots: no attribute access,
indexing, conversions or format specs, so a template cannot reach into Python objects.

Tuning examples use the chat format of Vertex AI supervised tuning (one JSON object per line with
``contents``: a ``user`` turn holding the formatted prompt, a ``model`` turn holding the target;
https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini-supervised-tuning-prepare).
The LoRA trainer and the evaluator read the same files back through ``example_parts``.
"""

from __future__ import annotations

import re
import string
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .errors import StepError

_FORMATTER = string.Formatter()
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def template_fields(template: str) -> List[str]:
    """The slot names of a template, in order of first use; a malformed template is a StepError."""
    fields: List[str] = []
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as err:
        raise StepError(f"prompt template is malformed ({err}); write literal braces as {{{{ and }}}}") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.match(name) or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            raise StepError(f"prompt template slot {shown} is not allowed; allowed: {{name}} with a record field name (letters, digits, _)")
        if name not in fields:
            fields.append(name)
    return fields


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise StepError(f"is a {type(value).__name__}; allowed: text or a number")


def format_prompt(template: str, record: Mapping[str, Any], text_field: str = "text") -> str:
    """The prompt for ``record``: every slot filled from the record (``{text}`` falls back to
    ``record[text_field]``). A missing or non-text field is a StepError naming the field."""
    values: Dict[str, str] = {}
    for name in template_fields(template):
        if name in record and record[name] is not None:
            source = name
        elif name == "text" and text_field in record and record[text_field] is not None:
            source = text_field
        else:
            present = ", ".join(sorted(record.keys())) or "none"
            raise StepError(f"prompt template needs field {name!r}, which the record does not have; fields: {present}")
        try:
            values[name] = _text(record[source])
        except StepError as err:
            raise StepError(f"field {source!r} {err.message}") from None
    return template.format_map(values)


def tuning_example(prompt: str, target: str) -> Dict[str, Any]:
    """One supervised-tuning example: the prompt as the user turn, the target as the model turn."""
    return {"contents": [{"role": "user", "parts": [{"text": prompt}]}, {"role": "model", "parts": [{"text": target}]}]}


def example_parts(record: Mapping[str, Any]) -> Tuple[str, str]:
    """``(prompt, target)`` of a tuning example: the user turns' text and the last model turn's.
    Anything else is a StepError (the caller adds the file and line)."""
    contents = record.get("contents")
    if not isinstance(contents, list) or not contents:
        raise StepError("is not a tuning example: expected a non-empty \"contents\" list of {role, parts} turns")
    prompt_parts: List[str] = []
    target: Optional[str] = None
    for index, turn in enumerate(contents):
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "model"):
            raise StepError(f"contents[{index}] is not a turn; expected {{\"role\": \"user\"|\"model\", \"parts\": [{{\"text\": …}}]}}")
        parts = turn.get("parts")
        if not isinstance(parts, list) or not all(isinstance(p, dict) and isinstance(p.get("text"), str) for p in parts):
            raise StepError(f"contents[{index}].parts must be a list of {{\"text\": string}}")
        text = "".join(p["text"] for p in parts)
        if turn["role"] == "user":
            prompt_parts.append(text)
        else:
            target = text
    if not prompt_parts or target is None:
        raise StepError("is not a tuning example: expected a user turn and a model turn")
    return "\n".join(prompt_parts), target


def generation_request(prompt: str) -> Dict[str, Any]:
    """A ``generateContent`` request body (and a Gemini batch-prediction request) for one prompt."""
    return {"contents": [{"role": "user", "parts": [{"text": prompt}]}]}
