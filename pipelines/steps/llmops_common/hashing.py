"""Stable hashes: the same example gets the same key and the same split on every run."""

from __future__ import annotations

import hashlib
import unicodedata


def normalise(text: str) -> str:
    """Text compared for duplicates: Unicode NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unit_interval(seed: int, key: str) -> float:
    """A number in [0, 1) from ``seed`` and ``key``: uniform, and the same for the same pair."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
