"""
The staff roles, as groups with exactly the permissions each needs: petitions' own permissions
here, the archive's in archive/staff_groups.py (petitions may not depend on archive). The data
migrations create the groups from frozen copies of these lists; a test checks that a freshly
migrated database gives each group exactly what the lists declare, so a change here needs a
migration.

Moderators judge spam and decide what goes public: they change signatures (clear or reject a
suspected one, moderate comments) and endorsements, and read petitions for context. They may not
export a list, and see a signer's email only on a suspected signature (see SignatureAdmin).
Campaign managers edit petitions and archived statements and export lists; they read signatures
and endorsements but do not moderate them. Superusers have everything.
"""

from django.utils.translation import gettext_lazy as _

MODERATORS = "Moderators"
CAMPAIGN_MANAGERS = "Campaign managers"

PETITIONS_PERMISSIONS = {
    MODERATORS: [
        "view_petition",
        "view_signature",
        "change_signature",
        "view_endorsement",
        "change_endorsement",
        "view_organisation",
    ],
    CAMPAIGN_MANAGERS: [
        "view_petition",
        "add_petition",
        "change_petition",
        "view_signature",
        "export_signatures",
        "view_endorsement",
        "export_endorsements",
        "view_organisation",
        "add_organisation",
        "change_organisation",
        "view_exportrecord",
        "view_staff_activity",
    ],
}

# The groups' names as staff read them (the groups themselves keep the English names above).
GROUP_LABELS = {MODERATORS: _("Moderators"), CAMPAIGN_MANAGERS: _("Campaign managers")}


def groups_given(codename: str) -> list[str]:
    """The names, in the reader's language, of the groups given a petitions permission."""
    return [
        str(GROUP_LABELS.get(group, group))
        for group, codenames in PETITIONS_PERMISSIONS.items()
        if codename in codenames
    ]
