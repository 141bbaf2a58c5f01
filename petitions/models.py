import functools
import ipaddress
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Q, sql
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .email_keys import EMAIL_KEY_MAX_LENGTH, EMAIL_MAX_LENGTH, email_key
from .organisation_names import (
    MATCH_KEY_MAX_LENGTH,
    is_free_mail,
    match_key,
    validate_matchable_name,
)

# Language codes as Django names them, and the suffix of their columns (`title_zh_hant`).
LANGUAGE_SUFFIXES = {"en": "en", "zh-hant": "zh_hant", "zh-hans": "zh_hans"}
PRIMARY_LANGUAGE = "en"

FULL_NAME_MAX_LENGTH = 120
ORGANISATION_NAME_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 1000


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

    title = Translated()
    summary = Translated()
    text = Translated()
    target = Translated()

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
    def progress_percent(self) -> int:
        """Share of the goal reached, capped at 100 for the progress bar."""
        if not self.goal:
            return 100
        return min(100, self.signature_count * 100 // self.goal)


class OrganisationQuerySet(models.QuerySet):
    def get_or_create_by_name(
        self, name: str, *, country: str = "", website: str = ""
    ) -> tuple["Organisation", bool]:
        """
        The organisation this name matches, or a new one; True when created. Race-safe: the
        unique match key makes concurrent creations of one name end with one row.
        """
        return self.get_or_create(
            match_key=match_key(name),
            defaults={"name": name, "country": country, "website": website},
        )


class Organisation(models.Model):
    """
    An organisation: shared by endorsements of petitions and by signatories of archived
    statements, so that one NGO is one row however many times it lends its name.
    """

    name = models.CharField(_("name"), max_length=ORGANISATION_NAME_MAX_LENGTH)
    # `organisation_names.match_key(name)`: case, spacing, punctuation and look-alike letters
    # ignored. Unique, so two spellings of one NGO can never become two rows, even when two
    # requests create it at once; the index also serves the lookup by submitted name. Never
    # empty (a CheckConstraint): names without a letter or digit would all be one organisation.
    match_key = models.CharField(
        _("match key"), max_length=MATCH_KEY_MAX_LENGTH, unique=True, editable=False
    )
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(match_key=""), name="organisation_match_key_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, not a side effect: the key must follow the name wherever it is set
        # (the endorse form, the imports, a staff correction in the admin).
        self.match_key = match_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "match_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # A staff correction in the admin is held to the same rule as the endorse form.
        try:
            validate_matchable_name(self.name)
        except ValidationError as error:
            raise ValidationError({"name": error}) from error

    @property
    def website_domain(self) -> str:
        """The website's host without "www.", lower-case; "" without a website."""
        host = urlsplit(self.website).hostname or ""
        return host.lower().removeprefix("www.")


# A signature the totals do not yet reflect: confirmed but not yet in them; in them but no
# longer confirmed (withdrawn, rejected by staff); or counted under a country staff have since
# corrected (the tally must move from the country it was counted under to the new one).
NEEDS_COUNTING = Q(status="confirmed", is_counted=False) | (
    Q(is_counted=True) & (~Q(status="confirmed") | ~Q(country=models.F("counted_country")))
)

# How many confirmation mails one pending signature may trigger: the first, plus a couple of
# resends for a signer who submits again because the first mail went astray. Beyond that a
# repeat submission sends nothing, so the form cannot be used to flood somebody's inbox.
MAX_CONFIRMATION_MAILS = 3

# The version of the consent wording on the sign form, stored with each consent so that staff
# can later tell which text a signer agreed to. Change it whenever the wording changes.
CONSENT_VERSION = "2026-11-21"


class SignatureQuerySet(models.QuerySet):
    def confirmed(self) -> "SignatureQuerySet":
        return self.filter(status=Signature.Status.CONFIRMED)

    def public(self) -> "SignatureQuerySet":
        """Confirmed signers who agreed to show their name: the only names a page may show."""
        return self.confirmed().filter(show_name_publicly=True)

    def awaiting_count(self) -> "SignatureQuerySet":
        """Rows whose status and counted flag disagree: the counting job's next work."""
        return self.filter(NEEDS_COUNTING)

    def suspected(self) -> "SignatureQuerySet":
        return self.filter(status=Signature.Status.SUSPECTED)

    def comments_awaiting_moderation(self) -> "SignatureQuerySet":
        return self.exclude(comment="").filter(comment_status=Signature.CommentStatus.PENDING)

    def public_comments(self) -> "SignatureQuerySet":
        """Approved comments of confirmed signers: the only comments a page may show."""
        return (
            self.confirmed()
            .exclude(comment="")
            .filter(comment_status=Signature.CommentStatus.APPROVED)
        )

    def reject(self) -> int:
        """
        Reject every signature here that is not withdrawn (bulk invalidation): one UPDATE,
        returning how many changed. Counted ones leave the totals at the next counting run.
        """
        return self.exclude(
            status__in=[Signature.Status.REJECTED, Signature.Status.WITHDRAWN]
        ).update(status=Signature.Status.REJECTED)

    def erase_personal_data(self) -> int:
        """
        Erase the personal data of these signatures (retention, or a person's request), keeping
        their status, country and counted flag: the totals and per-country tallies survive, and
        the counting job and reconciliation count an erased confirmed signature as before.
        """
        return self.update(**Signature.PERSONAL_DATA_ERASED)

    def with_personal_data(self) -> "SignatureQuerySet":
        """Signatures still holding any personal data (`Signature.PERSONAL_DATA_ERASED`)."""
        held = Q()
        for name, erased in Signature.PERSONAL_DATA_ERASED.items():
            held |= ~Q(**{name: erased})
        return self.filter(held)

    def awaiting_mail(self) -> "SignatureQuerySet":
        """Pending signatures with a confirmation mail asked for but never sent."""
        return self.filter(
            status=Signature.Status.PENDING,
            confirmation_mails_sent__lt=models.F("confirmation_mails_requested"),
        )


class _Parameter(models.Expression):
    """A statement's parameter by name, given its value each time the built statement runs."""

    def __init__(self, name: str, output_field: models.Field) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: object, connection: object) -> tuple[str, list]:
        return "%s", [self]


@functools.cache
def _confirm_sql(using: str) -> tuple[str, list]:
    """
    The confirm statement, built once per database by the ORM from the rules it applies (the
    signature pending, its petition `accepting_signatures_at` now), plus the RETURNING clause
    the ORM cannot write. Its `now` and `signature_id` are `_Parameter`s, filled in each time.
    """
    now = _Parameter("now", models.DateTimeField())
    pending = Signature.objects.using(using).filter(
        pk=_Parameter("signature_id", models.BigAutoField()),
        status=Signature.Status.PENDING,
        petition__in=Petition.objects.filter(accepting_signatures_at(now)),
    )
    # The UPDATE as `QuerySet.update` builds it.
    update = pending.query.chain(sql.UpdateQuery)
    update.add_update_values({"status": Signature.Status.CONFIRMED, "confirmed_at": now})
    statement, params = update.get_compiler(using).as_sql()
    quote = connections[using].ops.quote_name
    petitions, signatures = quote(Petition._meta.db_table), quote(Signature._meta.db_table)
    petition_pk = f"{petitions}.{quote(Petition._meta.pk.column)}"
    petition_id = f"{signatures}.{quote(Signature._meta.get_field('petition').column)}"
    slug = quote(Petition._meta.get_field("slug").column)
    # The petition's slug by a subquery: SQLite's RETURNING sees the updated table only. Only
    # quoted names from the models' meta are formatted in; every value is a parameter.
    returning = f"SELECT {slug} FROM {petitions} WHERE {petition_pk} = {petition_id}"  # noqa: S608
    return f"{statement} RETURNING ({returning})", list(params)


class SignatureManager(models.Manager.from_queryset(SignatureQuerySet)):
    """
    `Signature.objects`. The writers in one hand-written statement live here, not on the
    QuerySet: each acts on the rows its arguments name, whatever a queryset was filtered by.
    """

    def confirm_pending(self, signature_id: int) -> str | None:
        """
        Confirm the pending signature with this id if its petition accepts signatures now
        (`accepting_signatures_at`), in one statement: it runs for every signer following their
        link. Return the petition's slug, or None when nothing changed and the caller must find
        out why. `Signature.confirm` goes through here too.
        """
        connection = connections[self._db or router.db_for_write(self.model)]
        statement, params = _confirm_sql(connection.alias)
        values = {
            "now": connection.ops.adapt_datetimefield_value(timezone.now()),
            "signature_id": signature_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(
                statement,
                [values[p.name] if isinstance(p, _Parameter) else p for p in params],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def sign(
        self,
        *,
        petition: "Petition",
        full_name: str,
        email: str,
        country: str,
        comment: str = "",
        show_name_publicly: bool = False,
        wants_updates: bool = False,
        language: str = PRIMARY_LANGUAGE,
        status: str = "pending",
        client_hash: str = "",
        network: str = "",
        rate_limit: RateLimit | None = None,
    ) -> str | None:
        """
        Record a signature in one statement. Return the status of the row that took it (a
        pending one is owed a confirmation mail), or None when the submission changed nothing.

        A new signer gets a row in `status`, or a suspected one when `rate_limit` is given and
        this client (`client_hash`) already signed the petition that often in the last minute or
        day. A pending duplicate (same petition, same email key) asks for one more confirmation
        mail, at most MAX_CONFIRMATION_MAILS in all, unless this submission was set aside.
        A suspected or rejected row is taken over by a submission that is not set aside: it
        becomes this submission's pending signature, owed a confirmation mail, so that nobody
        can keep a person from signing by signing first in their name (with the honeypot
        filled, or in a flood staff reject); the address's owner gets the mail and their
        confirmation decides. One still counted waits until the counting job has taken it off
        the totals. A confirmed duplicate changes nothing; a withdrawn signature has no email
        key left, so its signer simply signs anew. The database's unique
        index arbitrates: there is no check-then-insert, so concurrent identical submissions
        make one row and no error. Counting the client's recent signatures in the same
        statement saves a round trip and a query built by the ORM on every signature (1 ms of
        CPU, a fifth of the request, bench/run.py).
        """
        now = timezone.now()
        consented = show_name_publicly or wants_updates
        values = {
            "petition_id": petition.pk,
            "full_name": full_name,
            "email": email,
            "email_key": email_key(email),
            "country": country,
            "comment": comment,
            "comment_status": Signature.CommentStatus.PENDING,
            "network": network,
            "show_name_publicly": show_name_publicly,
            "wants_updates": wants_updates,
            # A consent is the ticked box: its time and the version of the box's wording are
            # stored with it, and none without it. The privacy notice's version is stored with
            # every signature: each signer was shown it, consent or not.
            "consented_at": now if consented else None,
            "consent_version": CONSENT_VERSION if consented else "",
            "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
            "client_hash": client_hash,
            "language": language,
            "created_at": now,
            "confirmation_mails_requested": 1,
            "confirmation_mails_sent": 0,
            "is_counted": False,
        }
        connection = connections[self._db or router.db_for_write(self.model)]
        adapt = connection.ops.adapt_datetimefield_value
        params = [*(adapt(v) if v is now else v for v in values.values()), status]
        if rate_limit is None:
            rate_params = []
        else:
            rate_params = [
                adapt(now - timedelta(minutes=1)),
                rate_limit.per_minute,
                rate_limit.per_day,
                petition.pk,
                client_hash,
                adapt(now - timedelta(days=1)),
                max(rate_limit.per_minute, rate_limit.per_day),
            ]
        statement = _sign_sql(
            tuple(values), connection.ops.quote_name, rate_limited=rate_limit is not None
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, [*params, *rate_params, MAX_CONFIRMATION_MAILS])
            row = cursor.fetchone()
        return row[0] if row else None


@functools.cache
def _sign_sql(fields: tuple[str, ...], quote: Callable[[str], str], *, rate_limited: bool) -> str:
    """
    The sign upsert, built once: `fields` are the attribute names `SignatureManager.sign`
    writes, in their order. Only quoted table and column names from the model's meta are
    formatted in, every value is a parameter; the status comes last, decided in the statement
    itself. With a rate limit, `limited` reads the client's recent signatures on the petition
    (at most the larger limit of them, newest first, through signature_client_recent_idx) and
    is true when either limit is reached: the new row is then suspected, and a duplicate of a
    pending row asks for no mail.
    """
    table = quote(Signature._meta.db_table)

    def column(name: str) -> str:
        return quote(Signature._meta.get_field(name).column)

    def ours(name: str) -> str:
        """The column of the row already there (`excluded.` names the one proposed)."""
        return f"{table}.{column(name)}"

    petition_id, status = column("petition_id"), column("status")
    created_at, client_hash = column("created_at"), column("client_hash")
    if rate_limited:
        # Summed rather than counted with FILTER, which older SQLite lacks. `client_hash <> ''`
        # is spelled out: the index is partial on it.
        limited = (
            f"SELECT COALESCE(SUM(CASE WHEN {created_at} >= %s THEN 1 ELSE 0 END), 0) >= %s "  # noqa: S608
            f"OR COUNT(*) >= %s AS limited FROM ("
            f"SELECT {created_at} FROM {table} "
            f"WHERE {petition_id} = %s AND {client_hash} = %s AND {client_hash} <> '' "
            f"AND {created_at} >= %s ORDER BY {created_at} DESC LIMIT %s) AS recent"
        )
    else:
        limited = "SELECT 1 = 0 AS limited"
    # The status is a scalar subquery inside VALUES, where every literal takes its column's
    # type (in an INSERT ... SELECT PostgreSQL would read a NULL timestamp as text).
    new_status = (
        f"(SELECT CASE WHEN limited THEN 'suspected' ELSE %s END FROM ({limited}) AS rate)"  # noqa: S608
    )
    placeholders = ", ".join(["%s"] * len(fields))
    # A suspected or rejected row an unflagged submission takes over (see `sign`): every value
    # the submission writes replaces the squatter's, and what staff or a mail recorded on the
    # row is cleared. A pending duplicate only asks for one more mail, in its new language.
    takeover = f"{ours('status')} IN ('suspected', 'rejected')"

    def on_takeover(name: str, value: str, otherwise: str = "") -> str:
        kept = otherwise or ours(name)
        return f"{column(name)} = CASE WHEN {takeover} THEN {value} ELSE {kept} END"

    # The keys stay; a counted row is never taken over (below); these two are set for both.
    special = (
        "petition_id",
        "email_key",
        "is_counted",
        "confirmation_mails_requested",
        "language",
    )
    cleared = ("confirmed_at", "last_mailed_at", "comment_moderated_by_id", "comment_moderated_at")
    updates = [
        *(on_takeover(f, f"excluded.{column(f)}") for f in fields if f not in special),
        *(on_takeover(f, "NULL") for f in cleared),
        on_takeover(
            "confirmation_mails_requested",
            f"excluded.{column('confirmation_mails_requested')}",
            f"{ours('confirmation_mails_requested')} + 1",
        ),
        f"{column('language')} = excluded.{column('language')}",
        f"{status} = excluded.{status}",
    ]
    return (
        f"INSERT INTO {table} ({', '.join(map(column, fields))}, {status}) "  # noqa: S608
        f"VALUES ({placeholders}, {new_status}) "
        f"ON CONFLICT ({petition_id}, {column('email_key')}) DO UPDATE SET {', '.join(updates)} "
        # Only an unflagged submission changes a row. A row still counted waits until the
        # counting job has taken it off the totals, by the country it was counted under.
        f"WHERE excluded.{status} = 'pending' AND ("
        f"({ours('status')} = 'pending' "
        f"AND {ours('confirmation_mails_requested')} < %s) "
        f"OR ({takeover} AND NOT {ours('is_counted')})) "
        f"RETURNING {status}"
    )


class Signature(models.Model):
    """
    One person's support of one petition. Counts only once confirmed by mail.

    Personal data (name, email, comment) is erased on withdrawal; the row stays, without them,
    so the counting job can take a counted signature back off the total.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        SUSPECTED = "suspected", _("Suspected")  # flagged by anti-abuse; never counted
        REJECTED = "rejected", _("Rejected")  # by staff; never counted
        WITHDRAWN = "withdrawn", _("Withdrawn")  # by the signer; personal data erased

    class CommentStatus(models.TextChoices):
        # Every comment waits for staff before any page shows it; an empty comment's state
        # means nothing, and the moderation queue only looks at non-empty ones.
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # No index of its own: the unique (petition, email_key) and the (petition, status,
    # created_at) indexes serve every lookup by petition. A lone petition_id index was a trap:
    # for a new petition in a surge, whose rows the last ANALYZE never saw, the planner took it
    # for the rate limit's query and read all the petition's rows on every signature (29 ms at
    # 78,000 rows, bench/run.py) instead of the client's few in signature_client_recent_idx.
    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("petition"),
        db_index=False,
    )
    full_name = models.CharField(_("full name"), max_length=FULL_NAME_MAX_LENGTH)
    email = models.EmailField(
        _("email"), max_length=EMAIL_MAX_LENGTH, help_text=_("As the signer typed it.")
    )
    # NULL once withdrawn: the unique constraint ignores NULLs, so a person who withdrew can
    # sign again, and nothing is left to tell that they once signed.
    email_key = models.CharField(  # noqa: DJ001 - NULL, unlike "", is never a duplicate
        _("canonical email"),
        max_length=EMAIL_KEY_MAX_LENGTH,
        null=True,
        blank=True,
        editable=False,
    )
    country = CountryField(_("country"))
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    comment_status = models.CharField(
        _("comment moderation"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
    )
    comment_moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment moderated by"),
    )
    comment_moderated_at = models.DateTimeField(_("comment moderated at"), null=True, blank=True)
    # The signer's network, not their address: IPv4 /24 or IPv6 /48 (`client_address.
    # client_network`), so staff can invalidate a burst of signatures from one network by CIDR.
    # A keyed hash could only match one exact address. Erased with the rest of the personal
    # data on withdrawal and by the retention job.
    network = models.CharField(_("network"), max_length=49, blank=True, editable=False)
    show_name_publicly = models.BooleanField(_("show name publicly"), default=False)
    wants_updates = models.BooleanField(_("wants updates"), default=False)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent wording version"), max_length=20, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    # A keyed hash of the signer's address (petitions/client_address.py), never the address: the
    # rate limit counts on it. Blank after a day, when no limit needs it any more (the retention
    # command erases it), and on withdrawal.
    client_hash = models.CharField(_("client hash"), max_length=32, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default=PRIMARY_LANGUAGE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("signed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # Mail bookkeeping: "requested" grows with each submission that asks for a mail (capped at
    # MAX_CONFIRMATION_MAILS), "sent" once a mail has actually left. A gap older than a few
    # minutes is mail lost to a dead worker or a mail server outage: `queue_confirmation_mails`
    # queues it again.
    confirmation_mails_requested = models.PositiveSmallIntegerField(
        _("confirmation mails requested"), default=1
    )
    confirmation_mails_sent = models.PositiveSmallIntegerField(
        _("confirmation mails sent"), default=0
    )
    last_mailed_at = models.DateTimeField(_("last mailed at"), null=True, blank=True)
    # True while this row is included in the petition's count and country tally. The counting
    # job flips it in the same transaction as it changes the totals, so a row is never counted
    # twice nor forgotten, however many jobs run at once.
    is_counted = models.BooleanField(_("counted"), default=False, editable=False)
    # Where the counting job counted this row: the country tally and the day (the dashboard's
    # daily tally) it added one to, blank while uncounted. Taking a row off subtracts from
    # these, never from its current country: staff may correct a country after counting, and
    # subtracting from a tally that never counted the row would drive it below zero.
    counted_country = CountryField(
        _("counted in the tally of"), blank=True, default="", db_default="", editable=False
    )
    counted_on = models.DateField(_("counted on the day"), null=True, blank=True, editable=False)

    objects = SignatureManager()

    # The signer's personal data, and what each field holds once erased: on withdrawal, by
    # the retention command and on a person's request. The country and status stay, with
    # nothing to tie them to a person, so the totals and tallies survive an erasure.
    PERSONAL_DATA_ERASED = {
        "full_name": "",
        "email": "",
        "email_key": None,
        "comment": "",
        "show_name_publicly": False,
        "wants_updates": False,
        "consented_at": None,
        "client_hash": "",
        "network": "",
    }

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        permissions = [("export_signatures", _("Can export signature lists"))]
        constraints = [
            # One signature per person per petition. Also serves the sign upsert's
            # ON CONFLICT (petition_id, email_key) and the admin's exact-email search within
            # a petition.
            models.UniqueConstraint(
                fields=["petition", "email_key"], name="signature_unique_email_per_petition"
            ),
        ]
        indexes = [
            # Admin search by exact email across petitions: WHERE email_key = %s.
            models.Index(fields=["email_key"], name="signature_email_key_idx"),
            # The counting job: WHERE status/is_counted disagree (or the country moved since
            # counting). Partial, so it only holds the few rows waiting to be counted, not the
            # million already counted.
            models.Index(fields=["id"], condition=NEEDS_COUNTING, name="signature_to_count_idx"),
            # Petition page, recent public signers: WHERE petition_id = %s AND status =
            # 'confirmed' AND show_name_publicly ORDER BY confirmed_at DESC LIMIT n.
            models.Index(
                fields=["petition", "-confirmed_at"],
                condition=Q(status="confirmed", show_name_publicly=True),
                name="signature_public_recent_idx",
            ),
            # Admin changelist filtered by petition and status, newest first; reconciliation's
            # per-petition count of confirmed rows. The admin orders by "-created_at", "-pk": with
            # the id in the index a page is read in order, not sorted; without it PostgreSQL
            # walked the newest rows of every petition to find this one's (30 ms a page).
            models.Index(
                fields=["petition", "status", "-created_at", "-id"],
                name="signature_petition_status_idx",
            ),
            # Admin changelist unfiltered or by date (date_hierarchy), newest first.
            models.Index(fields=["-created_at", "-id"], name="signature_created_idx"),
            # The purge of stale unconfirmed rows: pending ones by age.
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="signature_pending_idx",
            ),
            # The confirmation mail job and its re-queueing: WHERE status = 'pending' AND
            # confirmation_mails_sent < confirmation_mails_requested ORDER BY id. Holds only
            # the signatures still owed a mail, a few even during a surge.
            models.Index(
                fields=["id"],
                condition=Q(
                    status="pending",
                    confirmation_mails_sent__lt=models.F("confirmation_mails_requested"),
                ),
                name="signature_owed_mail_idx",
            ),
            # The sign request's rate limit: WHERE petition_id = %s AND client_hash = %s AND
            # created_at >= a day ago ORDER BY created_at DESC LIMIT n. Partial: the retention
            # command blanks hashes older than a day, so it holds one day's signatures.
            models.Index(
                fields=["petition", "client_hash", "-created_at"],
                condition=~Q(client_hash=""),
                name="signature_client_recent_idx",
            ),
            # Admin queue and dashboard, suspected signatures newest first: WHERE status =
            # 'suspected' ORDER BY created_at DESC (few rows among a million).
            models.Index(
                fields=["-created_at"],
                condition=Q(status="suspected"),
                name="signature_suspected_idx",
            ),
            # Admin queue and dashboard, comments awaiting moderation: WHERE comment <> '' AND
            # comment_status = 'pending' ORDER BY created_at DESC.
            models.Index(
                fields=["-created_at"],
                condition=~Q(comment="") & Q(comment_status="pending"),
                name="signature_comment_queue_idx",
            ),
            # Admin "has a comment" filter: WHERE comment <> '' ORDER BY created_at DESC.
            models.Index(
                fields=["-created_at"], condition=~Q(comment=""), name="signature_commented_idx"
            ),
            # Admin country filter: WHERE country = %s ORDER BY created_at DESC, id DESC.
            models.Index(fields=["country", "-created_at", "-id"], name="signature_country_idx"),
            # Petition page, approved comments of confirmed signers: WHERE petition_id = %s AND
            # status = 'confirmed' AND comment_status = 'approved' ORDER BY confirmed_at DESC.
            models.Index(
                fields=["petition", "-confirmed_at"],
                condition=Q(status="confirmed", comment_status="approved") & ~Q(comment=""),
                name="signature_public_comment_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or f"#{self.pk} ({self.get_status_display()})"

    def confirm(self) -> bool:
        """
        Confirm a pending signature of a petition that accepts signatures, by the confirm
        link's own statement (`SignatureManager.confirm_pending`). Idempotent: True only for
        the call that confirmed it.
        """
        if not Signature.objects.confirm_pending(self.pk):
            return False
        self.refresh_from_db(fields=["status", "confirmed_at"])
        return True

    @property
    def public_author(self) -> str:
        """
        Who a public page says wrote the comment: the name only if the signer agreed, else
        "A signer". Never the country: anybody can confirm signatures from a small country
        until it passes the public threshold, and the byline would then name where the real
        commenter lives.
        """
        return self.full_name if self.show_name_publicly else _("A signer")

    def clear(self) -> bool:
        """
        Staff found a suspected signature genuine. One its signer had confirmed by mail becomes
        confirmed (and is counted); one never confirmed becomes pending, and the caller queues
        its confirmation mail: staff cannot vouch for an address, only its owner can. True if
        it was suspected.
        """
        cleared = self.Status.CONFIRMED if self.confirmed_at else self.Status.PENDING
        mail = {}
        if cleared == self.Status.PENDING:
            # One more confirmation mail is owed, whatever went out before it was flagged.
            mail = {"confirmation_mails_requested": models.F("confirmation_mails_sent") + 1}
        changed = Signature.objects.filter(pk=self.pk, status=self.Status.SUSPECTED).update(
            status=cleared, **mail
        )
        if changed:
            self.status = cleared
        return bool(changed)

    def reject(self) -> bool:
        """Staff reject the signature: never counted (a counted one leaves the totals)."""
        changed = (
            Signature.objects.filter(pk=self.pk)
            .exclude(status__in=[self.Status.REJECTED, self.Status.WITHDRAWN])
            .update(status=self.Status.REJECTED)
        )
        if changed:
            self.status = self.Status.REJECTED
        return bool(changed)

    def moderate_comment(self, *, by: models.Model, approve: bool) -> bool:
        """Approve or reject the comment; True if its state changed (an empty one never does)."""
        status = self.CommentStatus.APPROVED if approve else self.CommentStatus.REJECTED
        if not self.comment or self.comment_status == status:
            return False
        self.comment_status, self.comment_moderated_by, self.comment_moderated_at = (
            status,
            by,
            timezone.now(),
        )
        self.save(update_fields=["comment_status", "comment_moderated_by", "comment_moderated_at"])
        return True

    def withdraw(self) -> None:
        """
        Withdraw the signature and erase the signer's personal data (PERSONAL_DATA_ERASED).
        The country stays, with nothing to tie it to a person; the
        counting job takes the signature off the tallies it was counted in.
        """
        erased = {
            "status": self.Status.WITHDRAWN,
            "withdrawn_at": timezone.now(),
            **self.PERSONAL_DATA_ERASED,
        }
        Signature.objects.filter(pk=self.pk).update(**erased)
        for name, value in erased.items():
            setattr(self, name, value)


class CountryTallyQuerySet(models.QuerySet):
    def public(self) -> "CountryTallyQuerySet":
        """
        The per-country figures a public page (or the JSON) may show, each with
        `public_signature_count`. A country is shown only from PUBLIC_COUNTRY_MIN_SIGNERS
        signers, and its count rounded down to a tenth of that: anyone may confirm a few
        signatures from a small country, and an exact figure would then tell whether one real
        person signed from there (its rise from their own count). Reaching the threshold takes
        that many confirmed addresses, and within it a few more change nothing shown.
        """
        threshold = max(settings.PUBLIC_COUNTRY_MIN_SIGNERS, 1)
        band = max(threshold // 10, 1)
        return (
            self.filter(signature_count__gte=threshold)
            .annotate(
                public_signature_count=models.ExpressionWrapper(
                    models.F("signature_count") / band * band,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("-public_signature_count", "country")
        )


class CountryTally(models.Model):
    """Confirmed signatures of one petition from one country, kept by the counting job."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="country_tallies"
    )
    country = CountryField(_("country"))
    signature_count = models.PositiveIntegerField(_("confirmed signatures"), default=0)

    objects = CountryTallyQuerySet.as_manager()

    class Meta:
        ordering = ["-signature_count", "country"]
        verbose_name = _("country tally")
        verbose_name_plural = _("country tallies")
        constraints = [
            # One row per country per petition; also the target of the counting job's upsert.
            models.UniqueConstraint(
                fields=["petition", "country"], name="tally_unique_country_per_petition"
            ),
        ]
        indexes = [
            # Petition page and JSON, top countries: WHERE petition_id = %s ORDER BY
            # signature_count DESC LIMIT n.
            models.Index(fields=["petition", "-signature_count"], name="tally_top_countries_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.petition.slug} {self.country}: {self.signature_count}"


class DailyTally(models.Model):
    """
    Confirmed signatures of one petition by day of confirmation (in the site's time zone), kept
    by the counting job beside the country tallies: the staff dashboard's chart reads 30 rows
    instead of grouping up to a million signatures by day on every view.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="daily_tallies")
    day = models.DateField(_("day"))
    signature_count = models.IntegerField(_("confirmed signatures"), default=0)

    class Meta:
        ordering = ["petition", "day"]
        verbose_name = _("daily tally")
        verbose_name_plural = _("daily tallies")
        constraints = [
            # One row per day per petition; also the target of the counting job's upsert and
            # the dashboard's WHERE petition_id = %s AND day >= %s.
            models.UniqueConstraint(fields=["petition", "day"], name="daily_tally_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.day}: {self.signature_count}"


STATEMENT_OF_SUPPORT_MAX_LENGTH = 500


class EndorsementQuerySet(models.QuerySet):
    def approved(self) -> "EndorsementQuerySet":
        """The only endorsements a public page or JSON may show."""
        return self.filter(status=Endorsement.Status.APPROVED)

    def awaiting_approval(self) -> "EndorsementQuerySet":
        """Confirmed by their contact, waiting for staff: the moderation queue."""
        return self.filter(status=Endorsement.Status.AWAITING_APPROVAL)

    def public_list(self, petition: "Petition") -> "EndorsementQuerySet":
        """
        A petition's approved endorsements grouped by country and sorted by name, with only the
        organisation's public fields loaded: no contact detail ever reaches a public template.
        """
        return (
            self.approved()
            .filter(petition=petition)
            .select_related("organisation")
            .only(
                "statement",
                "organisation__name",
                "organisation__country",
                "organisation__website",
            )
            .order_by("organisation__country", "organisation__match_key", "organisation__name")
        )

    def erase_contact_details(self) -> int:
        """Erase the contact person's name, role and address; the endorsement itself stays."""
        return self.update(
            contact_name="",
            contact_role="",
            email="",
            email_key=None,
            contact_erased_at=timezone.now(),
        )

    def endorse(
        self,
        *,
        petition: "Petition",
        organisation_name: str,
        country: str,
        website: str,
        kind: str,
        contact_name: str,
        contact_role: str,
        email: str,
        statement: str = "",
        language: str = PRIMARY_LANGUAGE,
    ) -> "Endorsement | None":
        """
        Record an endorsement submitted through the form; return it if new (to mail its
        confirmation link), or None when the organisation had already endorsed the petition.

        A name that matches an existing organisation links to it and is flagged for review:
        anyone can type a well-known NGO's name. A contact writing from a free-mail address for
        an organisation with its own domain is flagged too. The unique (petition, organisation)
        constraint arbitrates concurrent submissions: one row, and no error.
        """
        with transaction.atomic(using=router.db_for_write(Endorsement)):
            organisation, created = Organisation.objects.get_or_create_by_name(
                organisation_name, country=country, website=website
            )
            domain = organisation.website_domain or Organisation(website=website).website_domain
            submitted = {
                "submitted_name": organisation_name,
                "submitted_website": website,
                "kind": kind,
                "contact_name": contact_name,
                "contact_role": contact_role,
                "email": email,
                "email_key": email_key(email),
                "statement": statement,
                "is_authorised": True,
                "language": language,
                "has_matched_existing_organisation": not created,
                "has_free_mail_contact": bool(domain)
                and is_free_mail(email)
                and not is_free_mail(f"x@{domain}"),
            }
            endorsement, new = self.get_or_create(
                petition=petition, organisation=organisation, defaults=submitted
            )
            if not new and endorsement.status == Endorsement.Status.PENDING:
                # Never confirmed, and its link has expired: it carries no weight, so a new
                # submission takes its place (and gets a link) rather than being stuck behind
                # it. Before expiry a repeat changes nothing, so nobody can flood an inbox.
                expired_before = timezone.now() - timedelta(
                    days=settings.CONFIRMATION_LINK_MAX_AGE_DAYS
                )
                new = bool(
                    self.filter(pk=endorsement.pk, created_at__lt=expired_before).update(
                        **submitted, created_at=timezone.now()
                    )
                )
        return endorsement if new else None


class Endorsement(models.Model):
    """
    One organisation's public support of one petition. Submitted through the form by a contact
    person (whose name, role and email are never public), confirmed by mail, then approved or
    rejected by staff; or imported by staff from a list, approved and without a contact.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        AWAITING_APPROVAL = "awaiting", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        COMMUNITY = "community", _("Community group")
        UNION = "union", _("Trade union")
        FAITH = "faith", _("Faith group")
        ACADEMIC = "academic", _("Academic institution")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        FORM = "form", _("Endorse form")
        IMPORT = "import", _("Imported by staff")

    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("petition"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="endorsements",
        verbose_name=_("organisation"),
    )
    # What the contact typed, kept beside the organisation it matched so staff can compare.
    submitted_name = models.CharField(
        _("name as submitted"), max_length=ORGANISATION_NAME_MAX_LENGTH, blank=True
    )
    submitted_website = models.URLField(_("website as submitted"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind of organisation"), max_length=10, choices=Kind.choices, default=Kind.OTHER
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.FORM, editable=False
    )
    # The contact person: private, and empty for imported endorsements (a list of names has
    # nobody to write to). A CheckConstraint requires them for every endorsement from the form.
    contact_name = models.CharField(_("contact name"), max_length=FULL_NAME_MAX_LENGTH, blank=True)
    contact_role = models.CharField(_("contact role"), max_length=120, blank=True)
    email = models.EmailField(_("contact email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    email_key = models.CharField(  # noqa: DJ001 - NULL for imported endorsements
        _("canonical email"),
        max_length=EMAIL_KEY_MAX_LENGTH,
        null=True,
        blank=True,
        editable=False,
    )
    statement = models.TextField(
        _("statement of support"), max_length=STATEMENT_OF_SUPPORT_MAX_LENGTH, blank=True
    )
    is_authorised = models.BooleanField(_("contact declared authority to endorse"), default=False)
    language = models.CharField(_("language"), max_length=10, default=PRIMARY_LANGUAGE)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    has_matched_existing_organisation = models.BooleanField(
        _("matched an existing organisation"), default=False
    )
    has_free_mail_contact = models.BooleanField(
        _("free-mail contact for an organisation with its own domain"), default=False
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # When the contact's name, role and address were erased (retention, or their request):
    # the endorsement stays, since it is the organisation's, not the person's.
    contact_erased_at = models.DateTimeField(
        _("contact erased at"), null=True, blank=True, editable=False
    )

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        permissions = [("export_endorsements", _("Can export endorsement lists"))]
        constraints = [
            # One endorsement per organisation per petition; also the target of the endorse
            # form's get_or_create and of the import's "already endorsed" check.
            models.UniqueConstraint(
                fields=["petition", "organisation"], name="endorsement_once_per_organisation"
            ),
            # A form endorsement always has a contact who declared their authority to endorse.
            # ... until the retention command or a person's request erases the contact.
            models.CheckConstraint(
                condition=Q(source="import")
                | Q(contact_erased_at__isnull=False)
                | (~Q(contact_name="") & ~Q(email="") & Q(is_authorised=True)),
                name="endorsement_from_form_has_contact",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="endorsement_rejection_has_reason",
            ),
        ]
        indexes = [
            # Petition page and endorsement list: WHERE petition_id = %s AND status =
            # 'approved', the few approved rows only.
            models.Index(
                fields=["petition"],
                condition=Q(status="approved"),
                name="endorsement_approved_idx",
            ),
            # Admin moderation queue: WHERE status = 'awaiting' ORDER BY created_at.
            models.Index(fields=["status", "created_at"], name="endorsement_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.petition}"

    @property
    def is_flagged(self) -> bool:
        return self.has_matched_existing_organisation or self.has_free_mail_contact

    def confirm(self) -> bool:
        """The contact confirmed by mail. Idempotent: True only for the call that confirmed."""
        now = timezone.now()
        changed = Endorsement.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.AWAITING_APPROVAL, confirmed_at=now
        )
        if changed:
            self.status, self.confirmed_at = self.Status.AWAITING_APPROVAL, now
        return bool(changed)

    def approve(self, *, by: models.Model) -> None:
        self.status, self.moderated_by, self.moderated_at = (
            self.Status.APPROVED,
            by,
            timezone.now(),
        )
        self.save(update_fields=["status", "moderated_by", "moderated_at"])
        self.petition.recount_endorsements()

    def reject(self, *, by: models.Model, reason: str) -> None:
        self.status, self.moderated_by, self.moderated_at = (
            self.Status.REJECTED,
            by,
            timezone.now(),
        )
        self.rejection_reason = reason
        self.save(update_fields=["status", "moderated_by", "moderated_at", "rejection_reason"])
        self.petition.recount_endorsements()


class ExportRecord(models.Model):
    """
    One CSV export by a staff member: the list of who signed is dangerous in the wrong hands,
    so every export leaves this trace. Written when the export starts and completed when its
    last row has left (or marked failed if the stream broke). Nobody may add, change or delete
    one, not even a superuser: the admin offers "view" only.
    """

    class Kind(models.TextChoices):
        SIGNATURES = "signatures", _("Signatures")
        ENDORSEMENTS = "endorsements", _("Endorsements")

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed midway")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    petition = models.ForeignKey(
        Petition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petition"),
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    # Kept as text too, so the record still says who and what after a user or petition is gone.
    exported_by_username = models.CharField(_("username"), max_length=150)
    petition_slug = models.CharField(_("petition slug"), max_length=80, blank=True)
    filters = models.JSONField(_("filters"), default=dict)
    columns = models.JSONField(_("columns"), default=list)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.STARTED
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        # Readable, never editable: no add, change or delete permission exists to be granted.
        default_permissions = ["view"]

    def __str__(self) -> str:
        when = f"{self.started_at:%Y-%m-%d %H:%M}"
        return f"{self.get_kind_display()} {self.petition_slug or '-'} {when}"

    def finish(self, *, rows: int, failed: bool = False) -> None:
        self.row_count, self.finished_at = rows, timezone.now()
        self.outcome = self.Outcome.FAILED if failed else self.Outcome.COMPLETE
        self.save(update_fields=["row_count", "finished_at", "outcome"])


class AbuseRule(models.Model):
    """What staff's allow and block lists share (petitions/abuse.py reads them)."""

    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class EmailDomainRule(AbuseRule):
    """
    A mail domain staff allow or block. A blocked domain (and every domain in the maintained
    list of disposable mail services, unless allowed here) sets a signature aside as suspected.
    A rule covers the domain's subdomains too.
    """

    domain = models.CharField(_("mail domain"), max_length=253, unique=True)
    is_allowed = models.BooleanField(
        _("allowed"),
        default=False,
        help_text=_("Ticked: allowed even if it is a disposable mail service. Not: blocked."),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("mail domain rule")
        verbose_name_plural = _("mail domain rules")

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().removeprefix("@").rstrip(".")
        if "." not in self.domain or "@" in self.domain or " " in self.domain:
            raise ValidationError({"domain": _("Enter a domain, like example.org.")})


class NetworkRule(AbuseRule):
    """
    A network (CIDR) staff allow or block. It is compared, during the request, with the client's
    address, which is never stored. Blocked: signatures from it are set aside as suspected.
    Allowed: it is exempt from the per-client rate limits (an office or a university where
    many people sign from one address).
    """

    network = models.CharField(
        _("network"), max_length=49, unique=True, help_text=_("For example 203.0.113.0/24.")
    )
    is_allowed = models.BooleanField(
        _("allowed"),
        default=False,
        help_text=_("Ticked: exempt from the rate limits. Not: blocked."),
    )

    class Meta:
        ordering = ["network"]
        verbose_name = _("network rule")
        verbose_name_plural = _("network rules")

    def __str__(self) -> str:
        return self.network

    def clean(self) -> None:
        try:
            self.network = str(ipaddress.ip_network(self.network.strip(), strict=False))
        except ValueError:
            raise ValidationError(
                {"network": _("Enter a network like 203.0.113.0/24 or 2001:db8::/48.")}
            ) from None
