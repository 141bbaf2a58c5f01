"""
A signed timestamp of when a form was rendered, carried by the form itself.

A person takes a few seconds at least to fill in a form; a script posts at once, or replays a
form it fetched long ago, or makes up the field. The stamp is signed with the SECRET_KEY
(django.core.signing), so it cannot be forged or moved forward, and it holds nothing but the
time. The petition page comes from a cache (petitions/page_cache.py), which writes a fresh stamp
into every copy it serves, as it does the CSRF token: the stamp is per render, never shared.
"""

import time

from django.core import signing

FIELD_NAME = "rendered_at"
SALT = "candlelight.form-rendered-at"


def new_form_stamp() -> str:
    """A stamp of now, in tenths of a second."""
    return signing.dumps(int(time.time() * 10), salt=SALT)


def form_stamp_age(value: str | None) -> float | None:
    """Seconds since the stamp was made; None when it is missing, tampered or not a stamp."""
    if not value:
        return None
    try:
        tenths = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(tenths, int):
        return None
    return time.time() - tenths / 10
