"""
Which SECRET_KEYs a production start refuses: those anyone can read, and those too weak.

Withdraw links, staff sessions, form stamps and the proof-of-work challenge are all signed with
the SECRET_KEY, so a site running on a key someone else knows lets that someone forge them. A key
that ever appeared in this repository is known to everyone who can read it (its history too), so
it is refused even after it has been removed from the files.
"""

from pathlib import Path

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

# Keys that were once committed (and so stay readable in the history). Never delete from this.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "candlelight-development-only-not-secret",
        "ci-only-placeholder-never-use-in-production-5b7e1c9d3a8f2046e7d1",
        "tests-only-secret-key-that-is-long-enough-for-django-checks",
        "bench-only-secret-key-" + "x" * 40,
        "change-me-to-50-random-characters",
        "a-real-secret-" + "x" * 40,
        "another-key-" + "y" * 50,
    }
)

# Files in the repository that show example settings: a key written into one of them later is
# published the moment it is committed.
EXAMPLE_SETTINGS_FILES = (".env.example", ".ci/production.env")


def published_secret_keys(project_dir: Path) -> frozenset[str]:
    """The keys above, and any SECRET_KEY=… written in the repository's example settings."""
    written = set()
    for name in EXAMPLE_SETTINGS_FILES:
        path = project_dir / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            variable, _, value = line.strip().partition("=")
            if variable.strip() == "SECRET_KEY" and value.strip():
                written.add(value.strip().strip("\"'"))
    return PUBLISHED_SECRET_KEYS | written


def is_too_weak(secret_key: str) -> bool:
    """As `check --deploy` judges a key (security.W009): short, repetitive, or Django's dev key."""
    return (
        len(secret_key) < SECRET_KEY_MIN_LENGTH
        or len(set(secret_key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or secret_key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


def refusal(secret_key: str, project_dir: Path) -> str | None:
    """Why a production site must not start on this key, or None when it may."""
    advice = (
        "Set SECRET_KEY to a long random value of your own (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
        "or set DEBUG=True on a development machine."
    )
    if secret_key in published_secret_keys(project_dir):
        return (
            "Refusing to start: DEBUG is off but SECRET_KEY is a key published in the "
            f"Candlelight repository, which anyone can read. {advice}"
        )
    if is_too_weak(secret_key):
        return (
            f"Refusing to start: DEBUG is off but SECRET_KEY is too weak (fewer than "
            f"{SECRET_KEY_MIN_LENGTH} characters, fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} "
            f"different characters, or starting with '{SECRET_KEY_INSECURE_PREFIX}'). {advice}"
        )
    return None
