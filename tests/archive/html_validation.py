"""
The W3C Nu HTML validator (vnu-jar from npm, run offline) for tests marked `vnu`.

One java process validates every document it is given: the JVM takes seconds to start, so a
test collects its pages first and validates them together.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import VNU_JAR


def html_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Validate {name: html} documents; return {name: [error, …]} for those with errors."""
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder).resolve() / f"{number}.html"
            path.write_text(html, encoding="utf-8")
            names[str(path)] = name
        result = subprocess.run(
            [
                shutil.which("java") or "java",
                *("-jar", str(VNU_JAR), "--errors-only", "--format", "json"),
                *names,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
    # vnu exits 1 when it finds errors; anything else (or no JSON) means it did not run.
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stderr or result.stdout)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        url = message.get("url", "?")  # "file:/tmp/…/0.html"
        name = names.get(url.removeprefix("file:"), url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')}]"
        )
    return errors
