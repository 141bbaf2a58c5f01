"""
Seed the bench database: petitions, a million signatures, pending ones with their confirm
tokens, a staff member with a TOTP device. Run by bench/run.py with the bench's environment:
`python bench/seed.py OUT.json [--large N] [--pending N]`; writes what the scenarios need.

Signatures are made by PostgreSQL itself (`INSERT ... SELECT generate_series`): a million rows
in seconds, no Python loop. Confirm tokens are made with the app's own signing code.
"""

import argparse
import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from petitions import emails  # noqa: E402
from petitions.counting import reconcile_petition  # noqa: E402
from petitions.models import Petition, Signature  # noqa: E402

TEXT = (
    "We ask for the truth about the deaths of 4 June 1989, compensation for the families and "
    "accountability for those responsible. " * 12
)

# Columns the seed sets itself; any other column (a later issue's) gets its model default.
SEEDED = """petition_id, full_name, email, email_key, country, comment, show_name_publicly,
  wants_updates, consented_at, consent_version, language, status, created_at, confirmed_at,
  confirmation_mails_requested, confirmation_mails_sent, last_mailed_at, is_counted,
  counted_country, counted_on"""

INSERT_SIGNATURES = """
INSERT INTO petitions_signature ({seeded}{other_columns})
SELECT %(petition)s, 'Seeded Signer ' || n, %(prefix)s || n || '@example.org',
  %(prefix)s || n || '@example.org',
  (ARRAY['GB','TW','HK','US','CA','DE','FR','AU','JP','NL'])[1 + n %% 10], '',
  n %% 10 = 0, n %% 7 = 0, CASE WHEN n %% 10 = 0 OR n %% 7 = 0 THEN now() END, '2026-11-21',
  'en', %(status)s, now() - n * interval '1 second',
  CASE WHEN %(status)s = 'confirmed' THEN now() - n * interval '1 second' END,
  1, CASE WHEN %(status)s = 'confirmed' THEN 1 ELSE 0 END, NULL, %(status)s = 'confirmed',
  -- Counted rows as the counting job leaves them (the site's time zone is UTC).
  CASE WHEN %(status)s = 'confirmed' THEN
    (ARRAY['GB','TW','HK','US','CA','DE','FR','AU','JP','NL'])[1 + n %% 10] ELSE '' END,
  CASE WHEN %(status)s = 'confirmed' THEN
    ((now() - n * interval '1 second') AT TIME ZONE 'UTC')::date END
  {other_values}
FROM generate_series(1, %(n)s) AS n
"""


def other_columns() -> dict[str, object]:
    """Signature columns the seed does not know, with their model defaults (as stored)."""
    seeded = {name.strip() for name in SEEDED.split(",")}
    defaults = {}
    for field in Signature._meta.concrete_fields:
        if field.column in seeded or field.primary_key:
            continue
        value = field.get_default()
        defaults[field.column] = field.get_db_prep_save(value, connection)
    return defaults


def petition(slug: str, title: str) -> Petition:
    return Petition.objects.create(
        slug=slug,
        status=Petition.Status.OPEN,
        title_en=title,
        title_zh_hant=title,
        title_zh_hans=title,
        summary_en="Truth, compensation and accountability for the families of 4 June 1989.",
        text_en=TEXT,
        target_en="The Standing Committee of the National People's Congress",
        goal=1_000_000,
        opens_at=timezone.now() - timedelta(days=1),
    )


def add_signatures(target: Petition, n: int, status: str, prefix: str) -> None:
    others = other_columns()
    sql = INSERT_SIGNATURES.format(
        seeded=SEEDED,
        other_columns="".join(f", {column}" for column in others),
        other_values="".join(f", %(other_{column})s" for column in others),
    )
    params = {"petition": target.pk, "n": n, "status": status, "prefix": prefix}
    params.update({f"other_{column}": value for column, value in others.items()})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=30_000)
    args = parser.parse_args()

    small = petition("bench-small", "Justice for the Tiananmen Mothers (1,000)")
    large = petition("bench-large", "Justice for the Tiananmen Mothers (1,000,000)")
    signing = petition("bench-sign", "Justice for the Tiananmen Mothers (signing)")
    confirming = petition("bench-confirm", "Justice for the Tiananmen Mothers (confirming)")
    add_signatures(small, 1000, "confirmed", "small-")
    add_signatures(large, args.large, "confirmed", "large-")
    # Pending signatures: the first half confirmed through the site, the second by the ceiling.
    add_signatures(confirming, 2 * args.pending, "pending", "pending-")
    for counted in (small, large):
        reconcile_petition(counted)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE petitions_signature")
    pending = list(
        Signature.objects.filter(petition=confirming).order_by("pk").values_list("pk", flat=True)
    )
    site_half, bare_half = pending[: args.pending], pending[args.pending :]
    tokens = [emails.make_token(Signature(pk=pk), emails.CONFIRM_SALT) for pk in site_half]

    password = secrets.token_urlsafe(16)
    staff = get_user_model().objects.create_superuser("bench-staff", "staff@example.org", password)
    device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
    Path(args.out).write_text(
        json.dumps(
            {
                "petitions": {p.slug: p.pk for p in (small, large, signing, confirming)},
                "confirm_tokens": tokens,
                "bare_confirm_ids": bare_half,
                "staff": {"username": "bench-staff", "password": password, "totp_key": device.key},
                "other_signature_columns": other_columns(),
            }
        )
    )


if __name__ == "__main__":
    main()
