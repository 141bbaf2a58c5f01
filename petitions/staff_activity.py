"""
What staff did, newest first: moderation, bulk invalidation, erasure and exports, read from the
records those actions already leave. No table of its own: the admin history (django_admin_log)
holds moderation, invalidation and erasure (staff_pages.log_actions and the admin's own
entries), and ExportRecord holds every export.

A history entry says what it is by where it points and what it says: an entry on a signature or
an endorsement is moderation, unless its message is the erasure's; an entry on a petition whose
message is the bulk invalidation's is an invalidation. Messages were written in the language the
staff member used, so each is matched in every language the site speaks.

Nothing here shows a person: a signature or an endorsement is named by its number (as
admin_history does), never by the object_repr an older entry may still hold, and the change
message is either ours (counts, statuses, the staff member's own reason) or Django's list of
changed field names.
"""

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from .models import Endorsement, ExportRecord, Petition, Signature

MODERATION = "moderation"
INVALIDATION = "invalidation"
ERASURE = "erasure"
EXPORT = "export"

KIND_CHOICES = [
    (MODERATION, _("Moderation")),
    (INVALIDATION, _("Bulk invalidation")),
    (ERASURE, _("Erasure")),
    (EXPORT, _("Export")),
]
KIND_LABELS = dict(KIND_CHOICES)

# The messages staff_pages writes (kept identical to theirs: the msgids are shared).
ERASURE_MESSAGE = gettext_noop("Erased the personal data on the person's request.")
INVALIDATION_MESSAGE = gettext_noop(
    "Bulk invalidation: rejected %(count)d signatures matching %(conditions)s."
)


def _in_every_language(message: str) -> set[str]:
    """The message as each of the site's languages writes it."""
    written = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written.add(gettext(message))
    return written


def _starts(message: str) -> set[str]:
    """What the message starts with before its first value, in every language."""
    return {text.split("%(")[0] for text in _in_every_language(message)}


def _person_types() -> list[ContentType]:
    return list(ContentType.objects.get_for_models(Signature, Endorsement).values())


def _erasure() -> Q:
    return Q(
        content_type__in=_person_types(), change_message__in=_in_every_language(ERASURE_MESSAGE)
    )


def _invalidation() -> Q:
    starts = Q()
    for start in _starts(INVALIDATION_MESSAGE):
        starts |= Q(change_message__startswith=start)
    return Q(content_type=ContentType.objects.get_for_model(Petition)) & starts


def _moderation() -> Q:
    return Q(content_type__in=_person_types()) & ~_erasure()


HISTORY_KINDS = {MODERATION: _moderation, INVALIDATION: _invalidation, ERASURE: _erasure}


@dataclass
class Activity:
    """One line of the page: who, when, what kind, on what, and what was done."""

    when: datetime
    who: str
    kind: str
    subject: str
    description: str
    url: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def _from_history(entry: LogEntry, erasure: set[str], invalidation: set[str]) -> Activity:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model in (Signature, Endorsement):
        kind = ERASURE if entry.change_message in erasure else MODERATION
        # By number, whatever an old entry's object_repr still says.
        subject = f"{model._meta.verbose_name.capitalize()} #{entry.object_id}"
    else:
        kind = INVALIDATION if entry.change_message.startswith(tuple(invalidation)) else MODERATION
        subject = entry.object_repr
    return Activity(
        when=entry.action_time,
        who=entry.user.get_username(),
        kind=kind,
        subject=subject,
        description=entry.get_change_message(),
        url=entry.get_admin_url() or None,
    )


def _from_export(record: ExportRecord) -> Activity:
    return Activity(
        when=record.started_at,
        who=record.exported_by_username,
        kind=EXPORT,
        subject=record.petition_slug or gettext("All petitions"),
        description=ngettext(
            "%(kind)s: %(count)d row (%(outcome)s).",
            "%(kind)s: %(count)d rows (%(outcome)s).",
            record.row_count,
        )
        % {
            "kind": record.get_kind_display(),
            "count": record.row_count,
            "outcome": record.get_outcome_display(),
        },
    )


class StaffActivity:
    """
    The history entries and the exports as one list, newest first, for a Paginator: it counts
    both and, for a page, merges the newest rows of each up to the page's end. A deep page
    reads every row before it; staff read the recent pages, and the list grows by hand.
    """

    def __init__(self, history: QuerySet, exports: QuerySet) -> None:
        self.history = history.select_related("user", "content_type").order_by("-action_time")
        self.exports = exports.order_by("-started_at")
        self.erasure = _in_every_language(ERASURE_MESSAGE)
        self.invalidation = _starts(INVALIDATION_MESSAGE)

    def count(self) -> int:
        return self.history.count() + self.exports.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice) -> list[Activity]:
        end = bounds.stop
        merged = heapq.merge(
            (
                _from_history(entry, self.erasure, self.invalidation)
                for entry in self.history[:end]
            ),
            (_from_export(record) for record in self.exports[:end]),
            key=lambda activity: activity.when,
            reverse=True,
        )
        return list(merged)[bounds]


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


class StaffActivityFilter(forms.Form):
    """The page's filters, from its query string: a bad value is an error on the form."""

    staff = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=get_user_model().objects.filter(is_staff=True).order_by("username"),
        required=False,
        empty_label=_("Everyone"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of action"),
        choices=[("", _("All kinds")), *KIND_CHOICES],
        required=False,
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def full_clean(self) -> None:
        super().full_clean()
        # A date input cannot hold what is not a date (only an edited address brings one):
        # it is shown empty, under its error, rather than with a value the browser rejects.
        refused = [name for name in ("since", "until") if name in self._errors]
        if refused:
            self.data = self.data.copy()
            for name in refused:
                self.data.pop(name, None)

    def _in_range(self, name: str) -> date | None:
        # Beyond these years a day's bounds cannot be turned into times at all.
        day = self.cleaned_data.get(name)
        if day and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        return day

    def clean_since(self) -> date | None:
        return self._in_range("since")

    def clean_until(self) -> date | None:
        return self._in_range("until")

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def activity(self) -> StaffActivity:
        """The activity the valid filters select."""
        data = self.cleaned_data
        history = LogEntry.objects.filter(_moderation() | _invalidation() | _erasure())
        exports = ExportRecord.objects.all()
        kind = data.get("kind")
        if kind:
            history = (
                history.filter(HISTORY_KINDS[kind]()) if kind in HISTORY_KINDS else history.none()
            )
            exports = exports if kind == EXPORT else exports.none()
        if data.get("staff"):
            history = history.filter(user=data["staff"])
            exports = exports.filter(exported_by=data["staff"])
        zone = timezone.get_current_timezone()
        if data.get("since"):
            start = datetime.combine(data["since"], time.min, tzinfo=zone)
            history = history.filter(action_time__gte=start)
            exports = exports.filter(started_at__gte=start)
        if data.get("until"):
            end = datetime.combine(data["until"] + timedelta(days=1), time.min, tzinfo=zone)
            history = history.filter(action_time__lt=end)
            exports = exports.filter(started_at__lt=end)
        return StaffActivity(history, exports)
