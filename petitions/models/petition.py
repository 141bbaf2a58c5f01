"""
A petition: its text in each language, when it accepts signatures (`accepting_signatures_at`, the
one statement of that rule) and endorsements, and the totals the counting job keeps in its row.
"""

import operator
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Language codes as Django names them, and the suffix of their columns (`title_zh_hant`).
LANGUAGE_SUFFIXES = {"en": "en", "zh-hant": "zh_hant", "zh-hans": "zh_hans"}
PRIMARY_LANGUAGE = "en"

# The smallest fill, in percent, of a progress bar once anyone has signed.
MIN_PROGRESS_BAR_PERCENT = 2.5


class Translated:
    """
    Read one translated field in the active language, falling back to English.

    A petition stores one column per language (`title_en`, `title_zh_hant`, `title_zh_hans`);
    `Petition.title` reads whichever the visitor's language asks for. An empty translation falls
    back to the primary language rather than showing a blank heading.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: models.Model | None, owner: type) -> object:
        if instance is None:
            return self
        suffix = LANGUAGE_SUFFIXES.get(get_language() or PRIMARY_LANGUAGE, PRIMARY_LANGUAGE)
        return getattr(instance, f"{self.name}_{suffix}") or getattr(
            instance, f"{self.name}_{PRIMARY_LANGUAGE}"
        )


@dataclass(frozen=True)
class RateLimit:
    """How often one client may sign one petition: per minute (a burst) and per day."""

    per_minute: int
    per_day: int


# The lookups `holds_for` knows: the few the rules below are written with.
_PYTHON_LOOKUPS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def holds_for(condition: Q, instance: models.Model) -> bool:
    """
    Whether the row `instance` holds is among those `condition` selects, asked in Python: a rule
    is written once, as the Q the database filters by, and a page asks it of the row it has
    loaded without a query. A comparison with NULL is false, as in SQL; an unknown lookup is a
    KeyError, never a guess.
    """
    outcomes = []
    for child in condition.children:
        if isinstance(child, Q):
            outcomes.append(holds_for(child, instance))
            continue
        lookup, expected = child
        name, _sep, lookup_name = lookup.partition("__")
        value = getattr(instance, name)
        if lookup_name == "isnull" or (expected is None and lookup_name in ("", "exact")):
            outcomes.append((value is None) == (expected is None or bool(expected)))
        else:
            compare = _PYTHON_LOOKUPS[lookup_name or "exact"]
            outcomes.append(value is not None and compare(value, expected))
    held = all(outcomes) if condition.connector == Q.AND else any(outcomes)
    return held != condition.negated


def accepting_signatures_at(now: datetime) -> Q:
    """
    The petitions that accept signatures (and endorsements) at `now`: open, and between their
    opening and closing dates (staff may not have closed one yet). The one statement of the
    rule: `PetitionQuerySet.accepting_signatures`, `Petition.accepts_signatures` and the
    confirm statement (`SignatureManager.confirm_pending`) all read it.
    """
    return Q(status=Petition.Status.OPEN, opens_at__lte=now) & (
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )


class PetitionQuerySet(models.QuerySet):
    def accepting_signatures(self) -> "PetitionQuerySet":
        """Petitions that accept signatures now (`accepting_signatures_at`)."""
        return self.filter(accepting_signatures_at(timezone.now()))

    def published(self) -> "PetitionQuerySet":
        """Petitions the public may read: open ones and closed ones, never drafts."""
        return self.exclude(status=Petition.Status.DRAFT)

    def open(self) -> "PetitionQuerySet":
        return self.filter(status=Petition.Status.OPEN)

    def open_first(self) -> "PetitionQuerySet":
        """Open petitions before closed ones, newest first within each."""
        return self.published().order_by(
            models.Case(
                models.When(status=Petition.Status.OPEN, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            "-opens_at",
            "-created_at",
        )


class Petition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh_hant = models.CharField(_("title (Traditional Chinese)"), max_length=200, blank=True)
    title_zh_hans = models.CharField(_("title (Simplified Chinese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=600)
    summary_zh_hant = models.TextField(
        _("summary (Traditional Chinese)"), max_length=600, blank=True
    )
    summary_zh_hans = models.TextField(
        _("summary (Simplified Chinese)"), max_length=600, blank=True
    )
    text_en = models.TextField(_("full text (English)"))
    text_zh_hant = models.TextField(_("full text (Traditional Chinese)"), blank=True)
    text_zh_hans = models.TextField(_("full text (Simplified Chinese)"), blank=True)
    target_en = models.CharField(
        _("target (English)"), max_length=200, help_text=_("Whom the petition is addressed to.")
    )
    target_zh_hant = models.CharField(
        _("target (Traditional Chinese)"), max_length=200, blank=True
    )
    target_zh_hans = models.CharField(_("target (Simplified Chinese)"), max_length=200, blank=True)

    # "What happens next", written by staff: when and how the list is delivered. The page
    # shows it beside the count, so a signer knows where their name goes and when.
    next_steps_en = models.TextField(
        _("what happens next (English)"),
        blank=True,
        help_text=_(
            'Shown on the petition page under "What happens next": when and how the list of '
            "signers will be delivered, and what follows. Leave empty to show nothing."
        ),
    )
    next_steps_zh_hant = models.TextField(_("what happens next (Traditional Chinese)"), blank=True)
    next_steps_zh_hans = models.TextField(_("what happens next (Simplified Chinese)"), blank=True)

    title = Translated()
    summary = Translated()
    text = Translated()
    target = Translated()
    next_steps = Translated()

    goal = models.PositiveIntegerField(_("signature goal"), default=1000)
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # Kept in the row and advanced in batches by the counting job: public pages read this and
    # never count signatures, and no signing request ever locks this row.
    signature_count = models.PositiveIntegerField(_("confirmed signatures"), default=0)
    # What the petition collects: a joint statement that only organisations sign takes
    # endorsements only. A CheckConstraint keeps at least one of the two on.
    takes_signatures = models.BooleanField(_("takes individual signatures"), default=True)
    takes_endorsements = models.BooleanField(_("takes organisational endorsements"), default=False)
    # Approved endorsements, recomputed (never incremented) whenever staff approve, reject or
    # import: a small table, but the petition page reads the row and runs no COUNT at all.
    endorsement_count = models.PositiveIntegerField(
        _("approved endorsements"), default=0, editable=False
    )
    # Anti-automation (petitions/abuse.py): a client (a keyed hash of its address) that signs
    # more often than this, in a minute or in a day, has its further signatures stored as
    # suspected: recorded, never counted, and the signer sees nothing different.
    signatures_per_client_per_minute = models.PositiveIntegerField(
        _("signatures per client per minute"),
        default=5,
        help_text=_("More from one network address within a minute are set aside as suspected."),
    )
    # A petition under attack: the sign form asks the browser to solve a proof-of-work
    # challenge (django-altcha, self-hosted) before it is accepted. Needs JavaScript.
    requires_proof_of_work = models.BooleanField(
        _("require a proof-of-work check"),
        default=False,
        help_text=_(
            "For a petition under automated attack: the signer's browser must solve a short "
            "computation before the signature is accepted. Signing then needs JavaScript."
        ),
    )
    signatures_per_client_per_day = models.PositiveIntegerField(
        _("signatures per client per day"),
        default=30,
        help_text=_("More from one network address within a day are set aside as suspected."),
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="petition_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(takes_signatures=True) | Q(takes_endorsements=True),
                name="petition_takes_signatures_or_endorsements",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("petitions:petition-detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def accepts_signatures(self) -> bool:
        """
        Open, and between its opening and closing dates (`accepting_signatures_at`), asked of
        this row without a query. Says nothing about what the petition collects: see
        `signing_is_open` and `endorsing_is_open`, which also ask `takes_signatures` /
        `takes_endorsements`.
        """
        return holds_for(accepting_signatures_at(timezone.now()), self)

    @property
    def rate_limit(self) -> RateLimit:
        """How often one client may sign this petition before it is set aside as suspected."""
        return RateLimit(
            per_minute=self.signatures_per_client_per_minute,
            per_day=self.signatures_per_client_per_day,
        )

    @property
    def signing_is_open(self) -> bool:
        """Individuals may sign now: the petition takes signatures and is open."""
        return self.takes_signatures and self.accepts_signatures

    @property
    def endorsing_is_open(self) -> bool:
        """Organisations may endorse now: the petition takes endorsements and is open."""
        return self.takes_endorsements and self.accepts_signatures

    def recount_endorsements(self) -> None:
        """Set `endorsement_count` from the approved endorsements, in one UPDATE."""
        # Imported here: endorsement.py imports this module for its foreign key.
        from .endorsement import Endorsement

        approved = (
            Endorsement.objects.filter(petition=models.OuterRef("pk"), status="approved")
            .order_by()
            .values("petition")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        Petition.objects.filter(pk=self.pk).update(
            endorsement_count=models.functions.Coalesce(models.Subquery(approved), 0)
        )
        self.refresh_from_db(fields=["endorsement_count"])

    @property
    def signatures_to_goal(self) -> int:
        """How many more confirmed signatures reach the goal; 0 once it is reached."""
        return max(0, self.goal - self.signature_count)

    @property
    def progress_bar_percent(self) -> float:
        """
        The bar's fill, in percent of its width: the share of the goal, but never less than a
        sliver once anyone has signed, so 12 of 10,000 (0.12 %) does not look like nobody.
        The exact figures are in the text beside the bar.
        """
        if not self.signature_count:
            return 0
        if not self.goal:
            return 100
        share = min(100.0, self.signature_count * 100 / self.goal)
        return round(max(MIN_PROGRESS_BAR_PERCENT, share), 1)

    @property
    def progress_percent(self) -> int:
        """Share of the goal reached, capped at 100 for the progress bar."""
        if not self.goal:
            return 100
        return min(100, self.signature_count * 100 // self.goal)
