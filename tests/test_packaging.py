"""What the package and the docs declare agrees: licence, typing, URLs, version, changelog, tag.

The wheel's contents are checked in tests/test_wheel.py (slow: it builds one).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import bpolang
from bpolang.base.errors import DOCS_URL, REPO_URL, REPORT_URL

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _mkdocs() -> dict:
    # mkdocs.yml has no custom tags; a plain load is enough for its top-level keys
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_license_file_is_the_declared_mit_licence():
    assert PYPROJECT["license"] == "MIT"
    assert PYPROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_the_package_is_marked_typed():
    assert (ROOT / "bpolang" / "py.typed").is_file()
    assert "Typing :: Typed" in PYPROJECT["classifiers"]


def test_urls_agree_everywhere():
    urls = PYPROJECT["urls"]
    assert urls["Repository"] == REPO_URL
    assert urls["Issues"] == REPORT_URL
    assert urls["Documentation"] == urls["Homepage"] == DOCS_URL + "/"
    assert urls["Changelog"] == f"{REPO_URL}/blob/main/CHANGELOG.md"
    site = _mkdocs()
    assert site["site_url"] == DOCS_URL + "/"
    assert site["repo_url"] == REPO_URL


def test_changelog_has_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(bpolang.__version__)}\] — \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
    assert f"[{bpolang.__version__}]: {REPO_URL}/releases/tag/v{bpolang.__version__}" in text


def test_docs_pin_the_tag_of_the_current_version():
    """pre-commit's `rev` and the install lines name the tag of this version, and nothing else."""
    tag = f"v{bpolang.__version__}"
    pages = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    revs = {m for p in pages for m in re.findall(r"^\s*rev: (\S+)$", p.read_text(encoding="utf-8"), re.M)}
    assert revs == {tag}, revs
    pins = {m for p in pages for m in re.findall(r"github\.com/bpolang/bpolang@([\w.]+)", p.read_text("utf-8"))}
    assert pins == {tag}, pins


def test_no_page_installs_from_pypi():
    """bpolang is not published on PyPI: `pip install bpolang` would fail on a fresh machine."""
    pages = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    bad = [
        f"{p.relative_to(ROOT)}: {line.strip()}"
        for p in pages
        for line in p.read_text(encoding="utf-8").splitlines()
        if re.search(r"pip(x)? install ['\"]?bpolang\b(?! @)", line)
    ]
    assert not bad, bad
