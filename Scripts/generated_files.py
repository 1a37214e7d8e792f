"""Writing a folder of generated files, shared by distill-standard.py and generate-dictionary.py."""

from __future__ import annotations

from pathlib import Path


def write_files(output: Path, files: dict[str, str], suffix: str) -> None:
    """Writes `files` (name -> text) into `output`, removes other `*suffix` files there (stale outputs), and leaves
    unchanged files untouched (so their modification time, and incremental builds, stay as they were)."""
    output.mkdir(parents=True, exist_ok=True)
    for stale in sorted(output.glob(f"*{suffix}")):
        if stale.name not in files:
            stale.unlink()
    for name in sorted(files):
        path = output / name
        data = files[name].encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
