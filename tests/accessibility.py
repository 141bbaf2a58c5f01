"""
axe-core for browser tests: `assert_accessible(page)` after the page has loaded.

axe-core 4.14.1 is vendored from the npm registry (tests/vendor, with its licence) and injected
with `page.evaluate`, which a strict Content-Security-Policy does not block.
"""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"

# WCAG 2.1 A and AA plus axe's best practices: what "zero violations" means for us.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    page.evaluate(_axe_source())
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on {page.url}:\n{describe(violations)}"
