"""
The admin history (django_admin_log) names a signature or an endorsement by its number.

Django writes `str(obj)` into each history entry's object_repr, and a signature's str is its
signer's name: "Recent actions" and the history pages then kept the name of someone whose data
was erased. A number ties the entry to its row, which is all the history needs, and says
nothing once the row is erased. Migration 0014 renumbered the entries written before this;
erasure and the retention purge scrub again whatever entries they find, whoever wrote them.
"""

import json

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Value
from django.db.models.functions import Concat

from .models import Endorsement, Signature

# Rows that hold a person's name (the signer's, the endorsement's contact).
DESCRIBED_BY_NUMBER = (Signature, Endorsement)


def history_name(obj: Model) -> str:
    """What the history calls `obj`: "Signature #123", or its str for anything else."""
    if isinstance(obj, DESCRIBED_BY_NUMBER):
        return f"{type(obj).__name__} #{obj.pk}"
    return str(obj)[:200]


def log_history(
    user_id: int, objects: list[Model], action_flag: int, change_message: str | list = ""
) -> list[LogEntry]:
    """LogEntry.objects.log_actions, with each object described by `history_name`."""
    if isinstance(change_message, list):
        change_message = json.dumps(change_message)
    return LogEntry.objects.bulk_create(
        [
            LogEntry(
                user_id=user_id,
                content_type_id=ContentType.objects.get_for_model(
                    obj, for_concrete_model=False
                ).id,
                object_id=str(obj.pk),
                object_repr=history_name(obj),
                action_flag=action_flag,
                change_message=change_message,
            )
            for obj in objects
        ]
    )


def scrub_history(model: type[Model], pks: list[int]) -> int:
    """Rename the history entries of these rows by number; returns how many there were."""
    if model not in DESCRIBED_BY_NUMBER or not pks:
        return 0
    prefix = f"{model.__name__} #"
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr=Concat(Value(prefix), "object_id"))


class HistoryByNumber:
    """ModelAdmin mixin: the admin's own history entries (add, change, delete) by number."""

    def log_addition(self, request: object, obj: Model, message: str | list) -> LogEntry:
        return log_history(request.user.pk, [obj], ADDITION, message)[0]

    def log_change(self, request: object, obj: Model, message: str | list) -> LogEntry:
        return log_history(request.user.pk, [obj], CHANGE, message)[0]

    def log_deletions(self, request: object, queryset: object) -> list[LogEntry]:
        return log_history(request.user.pk, list(queryset), DELETION)
