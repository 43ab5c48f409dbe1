"""Where a URI's bytes are on this machine.

On Vertex AI every task sees Cloud Storage through Cloud Storage FUSE at ``/gcs``:
``gs://BUCKET/OBJECT`` is the file ``/gcs/BUCKET/OBJECT``, and KFP's ``.path`` placeholders
name exactly those files (https://cloud.google.com/vertex-ai/docs/training/cloud-storage-file-system,
and the SDK's ``Artifact.path``, which maps ``gs://`` to ``/gcs/``). Steps therefore read and
write Cloud Storage with plain file I/O and need no client library.

``LLMOPS_GCS_ROOT`` moves that root: the local runner sets it to ``<work>/gcs`` so that
``gs://`` URIs resolve to local folders. Local paths (what the local runner uses for artifacts)
are used as they are.
"""

from __future__ import annotations

import glob
import os
from typing import List

from .errors import StepError

GCS_ROOT_ENV = "LLMOPS_GCS_ROOT"
DEFAULT_GCS_ROOT = "/gcs"


def gcs_root() -> str:
    return os.environ.get(GCS_ROOT_ENV) or DEFAULT_GCS_ROOT


def is_gcs(uri: str) -> bool:
    return uri.startswith("gs://")


def local_path(uri: str) -> str:
    """The file a ``gs://`` URI, a ``file://`` URI or a local path stands for."""
    if not uri:
        raise StepError("empty URI; allowed: gs://BUCKET/OBJECT or a local path")
    if is_gcs(uri):
        rest = uri[len("gs://"):]
        bucket, _, obj = rest.partition("/")
        if not bucket:
            raise StepError(f"{uri!r} has no bucket; allowed: gs://BUCKET/OBJECT")
        return os.path.join(gcs_root(), bucket, obj)
    if uri.startswith("file://"):
        return uri[len("file://"):]
    if "://" in uri:
        raise StepError(f"{uri!r} is not a Cloud Storage URI or a local path; allowed: gs://BUCKET/OBJECT or a path")
    return uri


def to_uri(path: str) -> str:
    """The ``gs://`` URI of a file under the FUSE root, else the path itself."""
    root = os.path.abspath(gcs_root())
    absolute = os.path.abspath(path)
    if absolute == root or absolute.startswith(root + os.sep):
        relative = os.path.relpath(absolute, root).replace(os.sep, "/")
        return f"gs://{relative}"
    return path


def join(uri: str, *parts: str) -> str:
    """``uri`` with ``parts`` appended, ``/``-separated, without doubled slashes."""
    out = uri.rstrip("/")
    for part in parts:
        out = f"{out}/{part.strip('/')}"
    return out


def expand(uri: str, suffix: str = ".jsonl") -> List[str]:
    """The local files a URI names: a file, a glob (``gs://b/day=*/*.jsonl``), or a folder
    (every ``*<suffix>`` in it, recursively). Sorted, so every run reads them in the same order."""
    path = local_path(uri)
    if any(ch in path for ch in "*?["):
        files = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
    elif os.path.isdir(path):
        files = sorted(os.path.join(d, f) for d, _, names in os.walk(path) for f in names if f.endswith(suffix))
    elif os.path.isfile(path):
        files = [path]
    else:
        raise StepError(f"{uri} does not exist (looked at {path})")
    if not files:
        raise StepError(f"{uri} matches no {suffix} file (looked at {path})")
    return files


def ensure_parent(path: str) -> None:
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
