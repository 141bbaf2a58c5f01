"""
The archive's share of the staff roles (the roles themselves are in petitions/staff_groups.py):
campaign managers edit archived statements and their topics; moderators have nothing here.
"""

from petitions.staff_groups import CAMPAIGN_MANAGERS

ARCHIVE_PERMISSIONS = {
    CAMPAIGN_MANAGERS: [
        "view_statement",
        "add_statement",
        "change_statement",
        "view_topic",
        "add_topic",
        "change_topic",
    ],
}
