"""
Imports point one way: the project (`campaign`) may import the apps, `archive` may import
`petitions`; no app imports `campaign`, `petitions` never imports `archive`, nothing imports
`bench`, and a migration imports no live module of ours (it carries frozen copies instead, so a
fresh database and an upgraded one get the same schema and data).

The rules are checked on the source with `ast`, every import statement wherever it sits (inside
functions too), relative imports resolved, plus `import_module("…")`/`import_string("…")` calls.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED_PACKAGES = ("petitions", "archive", "campaign")
OUR_PACKAGES = ("campaign", "petitions", "archive", "bench")
# Which of our packages each package must never import.
FORBIDDEN = {
    "petitions": {"campaign", "archive", "bench"},
    "archive": {"campaign", "bench"},
    "campaign": {"bench"},
}
DYNAMIC_IMPORTERS = {"import_module", "import_string"}


def _imported_modules(module: str, is_package: bool, source: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every module `source` imports, relative imports made absolute."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            # `from petitions import staff_groups` imports the module petitions.staff_groups.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in DYNAMIC_IMPORTERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def import_violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """What in `source` (the module named `module`) breaks the import rules."""
    app = module.partition(".")[0]
    is_migration = ".migrations." in f"{module}."
    violations = []
    for line, name in _imported_modules(module, is_package, source):
        top = name.partition(".")[0]
        if top in FORBIDDEN.get(app, ()):
            violations.append(f"{module}:{line} imports {name}")
        elif (
            is_migration
            and top in OUR_PACKAGES
            and ".migrations." not in f"{name}."
            and name != f"{app}.migrations"
        ):
            violations.append(f"{module}:{line} (a migration) imports live code: {name}")
    return violations


def _modules() -> list[tuple[str, Path]]:
    modules = []
    for package in CHECKED_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules.append((dotted.removesuffix(".__init__"), path))
    return modules


def test_the_checker_sees_every_module_including_migrations_and_commands():
    names = {name for name, _ in _modules()}

    assert "petitions.migrations.0005_staff_groups" in names
    assert "archive.management.commands.import_statements" in names
    assert "petitions.views" in names


def test_no_module_breaks_the_import_rules():
    violations = [
        violation
        for name, path in _modules()
        for violation in import_violations(
            name, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"
        )
    ]

    assert violations == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("petitions.views", "from campaign.page_cache import cached_public_page"),
        ("petitions.views", "import campaign.page_cache"),
        ("petitions.admin", "def f():\n    from archive.models import Statement\n"),
        ("archive.views", "from campaign import settings"),
        ("archive.management.commands.import_statements", "from bench.common import run"),
        ("campaign.views", "from bench import loadgen"),
        ("petitions.forms", "from importlib import import_module\nimport_module('campaign.x')"),
        (
            "petitions.migrations.0003_endorsements",
            "def f(apps, schema_editor):\n"
            "    from petitions.organisation_names import match_key\n",
        ),
        ("petitions.migrations.0005_staff_groups", "from ..staff_groups import MODERATORS"),
        ("archive.migrations.0001_initial", "import archive.search"),
        ("archive.migrations.0002_grant", "from petitions import staff_groups"),
    ],
)
def test_the_checker_refuses_a_planted_import(module, source):
    assert import_violations(module, source) != []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("petitions.views", "from .page_cache import cached_public_page"),
        ("archive.models", "from petitions.models import Organisation"),
        ("campaign.urls", "from archive.sitemaps import SITEMAPS"),
        ("archive.migrations.0002_grant", "from django.db import migrations"),
        ("petitions.migrations.0009_tally", "def f():\n    from django.db.models import Count\n"),
    ],
)
def test_the_checker_allows_what_the_rules_allow(module, source):
    assert import_violations(module, source) == []
