"""
The petitions app's models, one module per aggregate: petition.py (petitions, and when they
accept signatures), signature.py (signatures: signing, confirming, withdrawal, erasure),
tallies.py (the counting job's per-country and per-day totals), endorsement.py (organisations
and their endorsements), export_records.py (the trace of every export) and abuse_rules.py (staff's
allow and block lists). Every name is importable from `petitions.models`, as before the split.
"""

from .abuse_rules import AbuseRule, EmailDomainRule, NetworkRule
from .endorsement import (
    ORGANISATION_NAME_MAX_LENGTH,
    STATEMENT_OF_SUPPORT_MAX_LENGTH,
    Endorsement,
    EndorsementQuerySet,
    Organisation,
    OrganisationQuerySet,
)
from .export_records import ExportRecord
from .petition import (
    LANGUAGE_SUFFIXES,
    PRIMARY_LANGUAGE,
    Petition,
    PetitionQuerySet,
    RateLimit,
    Translated,
    accepting_signatures_at,
    holds_for,
)
from .signature import (
    COMMENT_MAX_LENGTH,
    CONSENT_VERSION,
    FULL_NAME_MAX_LENGTH,
    MAX_CONFIRMATION_MAILS,
    NEEDS_COUNTING,
    Signature,
    SignatureManager,
    SignatureQuerySet,
)
from .tallies import CountryTally, CountryTallyQuerySet, DailyTally

__all__ = [
    "COMMENT_MAX_LENGTH",
    "CONSENT_VERSION",
    "FULL_NAME_MAX_LENGTH",
    "LANGUAGE_SUFFIXES",
    "MAX_CONFIRMATION_MAILS",
    "NEEDS_COUNTING",
    "ORGANISATION_NAME_MAX_LENGTH",
    "PRIMARY_LANGUAGE",
    "STATEMENT_OF_SUPPORT_MAX_LENGTH",
    "AbuseRule",
    "CountryTally",
    "CountryTallyQuerySet",
    "DailyTally",
    "EmailDomainRule",
    "Endorsement",
    "EndorsementQuerySet",
    "ExportRecord",
    "NetworkRule",
    "Organisation",
    "OrganisationQuerySet",
    "Petition",
    "PetitionQuerySet",
    "RateLimit",
    "Signature",
    "SignatureManager",
    "SignatureQuerySet",
    "Translated",
    "accepting_signatures_at",
    "holds_for",
]
