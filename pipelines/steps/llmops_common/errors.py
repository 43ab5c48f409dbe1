"""The one error a step raises for a problem it can explain: bad data, a bad argument, a failed job."""

from __future__ import annotations

from typing import Optional


class StepError(Exception):
    """A problem the step reports in one line and exits 1 on, naming the file and line of bad data.

    ``str(error)`` is ``<file>:<line>: <message>`` when both are known, ``<file>: <message>`` with a
    file only, else the message.
    """

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        if self.file is not None and self.line is not None:
            return f"{self.file}:{self.line}: {self.message}"
        if self.file is not None:
            return f"{self.file}: {self.message}"
        return self.message
