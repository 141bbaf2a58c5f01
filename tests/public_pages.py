"""
Every public page, in one list, for the tests that must hold on all of them (no request to
another origin, no Content-Security-Policy violation). A new public page belongs here.

Paths are format strings: `{petition}` is an open petition's slug (taking signatures and
endorsements), `{closed}` a closed one's, `{statement}` a published statement's slug, and
`{confirm}`, `{withdraw}` and `{endorsement}` the tokens of a pending signature's and a pending
endorsement's mailed links.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from petitions.models import Petition

PUBLIC_PAGES = [
    "/",
    "/zh-hant/",
    "/zh-hans/",
    "/petitions/",
    "/petitions/{petition}/",
    "/zh-hant/petitions/{petition}/",
    "/petitions/{petition}/check-your-email/",
    "/petitions/{petition}/thank-you/",
    "/zh-hant/petitions/{petition}/thank-you/",
    "/zh-hans/petitions/{petition}/thank-you/",
    "/petitions/{petition}/print/",
    "/zh-hant/petitions/{petition}/print/",
    "/zh-hans/petitions/{petition}/print/",
    "/petitions/{closed}/print/",
    "/petitions/{petition}/withdrawn/",
    "/petitions/{petition}/endorse/",
    "/petitions/{petition}/endorse/check-your-email/",
    "/petitions/{petition}/endorse/confirmed/",
    "/petitions/{petition}/endorsements/",
    "/zh-hans/petitions/{petition}/endorsements/",
    "/petitions/{closed}/",
    "/petitions/{closed}/endorse/",
    "/petitions/confirm/{confirm}/",
    "/zh-hant/petitions/confirm/{confirm}/",
    "/petitions/withdraw/{withdraw}/",
    "/petitions/endorsement/confirm/{endorsement}/",
    "/petitions/confirm/not-a-valid-link/",
    "/archive/",
    "/archive/{statement}/",
    "/about/",
    "/privacy/",
    "/zh-hant/privacy/",
    "/zh-hans/privacy/",
    "/no-such-page/",
]

# Staff pages: the same rules hold in the admin.
ADMIN_PAGES = [
    "/admin/",
    "/admin/auth/user/",
    "/admin/auth/group/add/",
    "/admin/petitions/petition/",
    "/admin/petitions/organisation/",
    "/admin/petitions/endorsement/",
    "/admin/petitions/endorsement/import/",
    "/admin/petitions/signature/",
    "/admin/petitions/signature/?queue=suspected",
    "/admin/petitions/signature/invalidate/",
    "/admin/petitions/signature/erase-person/",
    "/admin/petitions/emaildomainrule/add/",
    "/admin/petitions/networkrule/",
    "/admin/petitions/signature/export/",
    "/admin/petitions/petition/{petition}/export/",
    "/admin/petitions/exportrecord/",
    "/admin/petitions/petition/staff-activity/",
]


def public_page_paths(open_petition: "Petition", closed_petition: "Petition") -> list[str]:
    """PUBLIC_PAGES filled in: the open petition takes endorsements, the tokens are fresh."""
    from petitions import emails
    from petitions.models import Petition
    from tests.archive.conftest import make_statement
    from tests.petitions.conftest import make_signature
    from tests.petitions.endorsement_helpers import make_endorsement

    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    signature = make_signature(open_petition)
    endorsement = make_endorsement(open_petition, status="pending", confirmed_at=None)
    values = {
        "petition": open_petition.slug,
        "closed": closed_petition.slug,
        "statement": make_statement().slug,
        "confirm": emails.make_token(signature, emails.CONFIRM_SALT),
        "withdraw": emails.make_token(signature, emails.WITHDRAW_SALT),
        "endorsement": emails.make_token(endorsement, emails.ENDORSEMENT_CONFIRM_SALT),
    }
    return [path.format(**values) for path in PUBLIC_PAGES]
