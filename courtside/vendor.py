"""``make vendor``: build ``build/functions/<name>/``, a folder that deploys alone.

Each folder holds the function's ``main.py``, a copy of the ``shared`` package, the table DDL
(``schemas/``, which the embedded default needs to create its tables), the experiment configs
(``experiments/``, which the settings check) and the function's pinned
``requirements.txt``. Nothing in it refers back to the repository: the earlier platform crashed at
import because shared code was missing from a deployed folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

from shared.topology import FUNCTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache")
_PINNED = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+$")


class VendorError(RuntimeError):
    pass


def requirement_lines(path: Path) -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def pinned_versions(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file, names normalised as pip does."""
    versions: dict[str, str] = {}
    for line in requirement_lines(path):
        if not _PINNED.match(line):
            raise VendorError(f"{path}: {line!r} is not pinned with ==")
        name, version = line.split("==", 1)
        versions[normalise(name)] = version
    return versions


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_function(name: str, out_dir: Path, repo_root: Path = REPO_ROOT) -> Path:
    source = repo_root / "functions" / name
    if not (source / "main.py").is_file():
        raise VendorError(f"functions/{name}/main.py is missing")
    pinned_versions(source / "requirements.txt")  # refuses unpinned requirements
    target = out_dir / name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(source / "main.py", target / "main.py")
    shutil.copy2(source / "requirements.txt", target / "requirements.txt")
    shutil.copytree(repo_root / "shared", target / "shared", ignore=_IGNORED)
    shutil.copytree(repo_root / "schemas", target / "schemas", ignore=_IGNORED)
    # The settings name the retrain's experiments/<name>.yaml and refuse a missing one at start-up.
    shutil.copytree(repo_root / "experiments", target / "experiments", ignore=_IGNORED)
    return target


def build_all(out_dir: Path, repo_root: Path = REPO_ROOT) -> list[Path]:
    return [build_function(name, out_dir, repo_root) for name in FUNCTIONS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "functions")
    args = parser.parse_args()
    for folder in build_all(args.out):
        print(f"built {folder}")


if __name__ == "__main__":
    main()
