"""Facts about the software that produced a result: package versions and git revision.

`Software` is the one record of them, shared by the extraction manifest and the evaluation run
record, so that both say the same thing in the same shape.
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

PACKAGES = (
    "claims",
    "pydantic",
    "openai",
    "instructor",
    "diskcache",
    "tenacity",
    "tqdm",
    # what turns inputs into text: their versions change the text (and so the offsets) of HTML and PDF
    "trafilatura",
    "justext",  # trafilatura's fallback extractor of the main text
    "htmldate",  # the page's publication date, which dates relative mentions
    "lxml",  # parses every page; each wheel bundles its libxml2 (6.1.3 and 6.2.1 both 2.14.6)
    "pypdf",
    "charset-normalizer",
    "httpx",
)
_GIT_TIMEOUT = 5


def _git(directory: Path, *arguments: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", "-C", str(directory), *arguments],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


def git_state(package_dir: Path | None = None) -> dict[str, Any]:
    """Revision of the checkout the `claims` package runs from, and whether tracked files changed.

    Both are null when the package is not run from its own git checkout (an installed wheel),
    even if the current directory happens to be some other repository.
    """
    package_dir = package_dir or Path(__file__).resolve().parent
    top = _git(package_dir, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() / package_dir.name != package_dir:
        return {"revision": None, "dirty": None}
    revision = _git(package_dir, "rev-parse", "HEAD")
    status = _git(package_dir, "status", "--porcelain", "--untracked-files=no")
    return {"revision": revision, "dirty": None if status is None else bool(status)}


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return versions


class Software(BaseModel):
    """The code that produced a result: the `claims` checkout's revision (null outside one),
    whether tracked files were modified, the versions of the packages that matter, and Python."""

    revision: str | None = Field(default=None, description="Git commit of the claims checkout.")
    dirty: bool | None = Field(default=None, description="Tracked files differ from the commit.")
    packages: dict[str, str | None] = Field(default_factory=dict, description="Installed versions.")
    python: str | None = None

    @classmethod
    def current(cls, package_dir: Path | None = None) -> Software:
        """The software running now."""
        state = git_state(package_dir)
        return cls(
            revision=state["revision"],
            dirty=state["dirty"],
            packages=package_versions(),
            python=platform.python_version(),
        )
