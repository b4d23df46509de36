"""Blob store on a local folder: ``<root>/<bucket>/<name>``, the embedded stand-in for Cloud Storage."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, bucket: str, name: str) -> Path:
        path = (self._root / bucket / name).resolve()
        if not path.is_relative_to((self._root / bucket).resolve()):
            raise ValueError(f"object name {name!r} escapes its bucket")
        return path

    def write_bytes(
        self, bucket: str, name: str, data: bytes, metadata: Mapping[str, str] | None = None
    ) -> None:
        # ``metadata`` is not kept: nothing here notifies, the landing publishes its own message.
        path = self._path(bucket, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half an object (GCS objects appear whole too).
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(data)
        os.replace(partial, path)

    def read_bytes(self, bucket: str, name: str) -> bytes:
        path = self._path(bucket, name)
        if not path.is_file():
            raise FileNotFoundError(f"no object gs://{bucket}/{name} in {self._root}")
        return path.read_bytes()

    def exists(self, bucket: str, name: str) -> bool:
        return self._path(bucket, name).is_file()

    def list_names(self, bucket: str, prefix: str = "") -> list[str]:
        base = self._root / bucket
        if not base.is_dir():
            return []
        names = (p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())
        return sorted(n for n in names if n.startswith(prefix) and not n.rsplit("/", 1)[-1].startswith("."))
