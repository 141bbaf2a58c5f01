"""
Hand-written SQL in the apps takes its table names from the models' meta (`_meta.db_table`,
`field.column`), never spelled out: a renamed table or column cannot leave a statement behind.
Schema DDL is exempt: the migrations run it as written, as a migration must.
"""

import ast
import re
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
APPS = ("petitions", "archive")
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|RETURNING)\b", re.IGNORECASE)
DDL = re.compile(r"^\s*(ALTER|CREATE|DROP)\b", re.IGNORECASE)


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def test_no_sql_in_the_apps_spells_out_a_table_name():
    tables = {
        model._meta.db_table for app in APPS for model in apps.get_app_config(app).get_models()
    }
    table_name = re.compile(rf"\b({'|'.join(map(re.escape, tables))})\b")
    offending = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in _string_constants(path)
        if SQL.search(text) and table_name.search(text) and not DDL.match(text)
    ]

    assert offending == []
