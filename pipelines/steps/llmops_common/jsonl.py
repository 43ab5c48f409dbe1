"""JSON Lines, read with errors that name the file and line, written deterministically."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, Iterator, Tuple

from .errors import StepError
from .storage import ensure_parent, to_uri


def read_records(path: str) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """``(line number, object)`` for every non-empty line of a JSONL file; anything else on a
    line (bad JSON, a list, a number) is a ``StepError`` naming ``<file>:<line>``."""
    shown = to_uri(path)
    try:
        handle = open(path, "r", encoding="utf-8")
    except FileNotFoundError:
        raise StepError("does not exist", shown) from None
    with handle:
        line_number = 0
        while True:
            try:
                line = handle.readline()
            except UnicodeDecodeError as err:
                raise StepError(f"is not UTF-8 text ({err.reason})", shown, line_number + 1) from None
            if not line:
                return
            line_number += 1
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as err:
                raise StepError(f"invalid JSON: {err.msg} at column {err.colno}", shown, line_number) from None
            if not isinstance(value, dict):
                raise StepError(f"expected a JSON object, got {type(value).__name__}", shown, line_number)
            yield line_number, value


def dumps(record: Any) -> str:
    """One line: keys sorted, UTF-8 kept, no trailing spaces."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write_records(path: str, records: Iterable[Any]) -> int:
    """Writes one JSON object per line (atomically: a temporary file renamed into place)."""
    ensure_parent(path)
    temporary = f"{path}.tmp-{os.getpid()}"
    count = 0
    with open(temporary, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(dumps(record))
            handle.write("\n")
            count += 1
    os.replace(temporary, path)
    return count


def write_json(path: str, value: Any) -> None:
    ensure_parent(path)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, sort_keys=True, indent=2, ensure_ascii=False)
        handle.write("\n")
