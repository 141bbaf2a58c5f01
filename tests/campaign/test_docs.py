"""The documentation stays a front door: small, its links and paths true, each variable once."""

import re
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
README = PROJECT_DIR / "README.md"
DOCS = [README, PROJECT_DIR / "bench" / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
# Paths the docs name that exist only once something has run.
GENERATED = {"bench/results"}
TOP_LEVEL = (
    "campaign/",
    "petitions/",
    "archive/",
    "bench/",
    "bin/",
    "templates/",
    "static/",
    "tests/",
    "locale/",
    "docs/",
    ".ci/",
)


def _anchors(markdown: str) -> set[str]:
    headings = re.findall(r"^#+ (.*)$", markdown, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_readme_is_at_most_8_kb():
    assert len(README.read_bytes()) <= 8 * 1024


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_every_relative_link_in_the_docs_leads_somewhere(doc):
    text = doc.read_text()
    broken = []

    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        resolved = (doc.parent / path).resolve() if path else doc
        leads_somewhere = resolved.is_relative_to(PROJECT_DIR) and resolved.exists()
        if not leads_somewhere or (anchor and anchor not in _anchors(resolved.read_text())):
            broken.append(target)

    assert not broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_every_path_the_docs_name_exists(doc):
    named = re.findall(r"`([^`\s<>]+)`", doc.read_text())
    paths = [name for name in named if name.startswith(TOP_LEVEL)]

    assert paths or doc != README
    missing = [
        path
        for path in paths
        if path.rstrip("/") not in GENERATED and not list(PROJECT_DIR.glob(path.rstrip("/")))
    ]
    assert not missing


def test_the_readme_maps_features_to_where_they_live():
    rows = re.findall(r"^\| (?!Feature|---)(.+?) \| (.+) \|$", README.read_text(), re.MULTILINE)

    assert 12 <= len(rows) <= 15


def test_every_variable_gunicorn_reads_is_documented_in_env_example():
    source = (PROJECT_DIR / "gunicorn.conf.py").read_text()
    documented = (PROJECT_DIR / ".env.example").read_text()

    read = set(re.findall(r'environ\.get\(\s*"([A-Z_]+)"', source))

    assert read
    assert not {name for name in read if f"\n{name}=" not in documented}
