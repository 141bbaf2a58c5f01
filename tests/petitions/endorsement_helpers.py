"""Helpers for the endorsement tests: an endorsement in any state, without the form."""

from django.utils import timezone

from petitions.email_keys import email_key
from petitions.models import Endorsement, Organisation, Petition

_counter = iter(range(1, 10**9))


def make_endorsement(
    petition: Petition, name: str | None = None, *, country: str = "GB", **overrides: object
) -> Endorsement:
    """A form endorsement (with a private contact) of a new or existing organisation."""
    number = next(_counter)
    organisation, _ = Organisation.objects.get_or_create_by_name(
        name or f"Example Organisation {number}",
        country=country,
        website=f"https://org-{number}.example.org",
    )
    email = overrides.pop("email", f"contact-{number}@org-{number}.example.org")
    fields = {
        "contact_name": f"Private Contact {number}",
        "contact_role": "Secretary",
        "email": email,
        "email_key": email_key(email),
        "is_authorised": True,
        "kind": Endorsement.Kind.NGO,
        "status": Endorsement.Status.AWAITING_APPROVAL,
        "confirmed_at": timezone.now(),
        **overrides,
    }
    endorsement = Endorsement.objects.create(
        petition=petition, organisation=organisation, **fields
    )
    petition.recount_endorsements()
    return endorsement
