"""
A person's signature of a petition: the sign and confirm statements, moderation, withdrawal and
the erasure of personal data. The per-country and per-day totals the counting job keeps from
these rows are in tallies.py.
"""

import functools
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connections, models, router
from django.db.models import Q, sql
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..email_keys import EMAIL_KEY_MAX_LENGTH, EMAIL_MAX_LENGTH, email_key
from .petition import PRIMARY_LANGUAGE, Petition, RateLimit, accepting_signatures_at

FULL_NAME_MAX_LENGTH = 120
COMMENT_MAX_LENGTH = 1000


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

# A signer whose signature is confirmed and who signs again (they forgot, or the page's "sign
# again if nothing arrives" sent them back) gets a mail saying so, with the petition's link to
# share and their withdraw link: at most one such mail per signature in this window, so the
# form cannot be used to flood a confirmed signer's inbox either.
ALREADY_SIGNED_MAIL_INTERVAL = timedelta(days=1)

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

    def awaiting_already_signed_mail(self) -> "SignatureQuerySet":
        """Confirmed signatures owed an "already signed" mail (`SignatureManager.sign`)."""
        # Not one whose address was erased meanwhile (on its owner's request).
        return self.filter(
            status=Signature.Status.CONFIRMED, is_owed_already_signed_mail=True
        ).exclude(email="")


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
        A confirmed duplicate is owed an "already signed" mail (share, or withdraw), at most one
        per ALREADY_SIGNED_MAIL_INTERVAL, and nothing else of its row changes: not even its
        language, since anybody who knows the address can submit it.
        A suspected or rejected row is taken over by a submission that is not set aside: it
        becomes this submission's pending signature, owed a confirmation mail, so that nobody
        can keep a person from signing by signing first in their name (with the honeypot
        filled, or in a flood staff reject); the address's owner gets the mail and their
        confirmation decides. One still counted waits until the counting job has taken it off
        the totals. A withdrawn signature has no email key left, so its signer simply signs
        anew. The database's unique index arbitrates: there is no check-then-insert, so
        concurrent identical submissions make one row and no error. Counting the client's
        recent signatures in the same statement saves a round trip and a query built by the ORM
        on every signature (1 ms of CPU, a fifth of the request, bench/run.py).
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
            "already_signed_mail_requested_at": None,
            "is_owed_already_signed_mail": False,
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
            cursor.execute(
                statement,
                [
                    *params,
                    *rate_params,
                    MAX_CONFIRMATION_MAILS,
                    adapt(now - ALREADY_SIGNED_MAIL_INTERVAL),
                ],
            )
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
    # A confirmed duplicate: only its "already signed" mail bookkeeping changes (see `sign`).
    # `excluded.created_at` is this submission's time.
    already = f"{ours('status')} = 'confirmed'"
    owed_at = column("already_signed_mail_requested_at")

    def on_takeover(name: str, value: str, otherwise: str = "") -> str:
        kept = otherwise or ours(name)
        return f"{column(name)} = CASE WHEN {takeover} THEN {value} ELSE {kept} END"

    # The keys stay; a counted row is never taken over (below); the others are set below, for
    # a confirmed duplicate too.
    special = (
        "petition_id",
        "email_key",
        "is_counted",
        "confirmation_mails_requested",
        "language",
        "already_signed_mail_requested_at",
        "is_owed_already_signed_mail",
    )
    cleared = ("confirmed_at", "last_mailed_at", "comment_moderated_by_id", "comment_moderated_at")

    def unless_already(name: str, value: str) -> str:
        return f"{column(name)} = CASE WHEN {already} THEN {ours(name)} ELSE {value} END"

    updates = [
        *(on_takeover(f, f"excluded.{column(f)}") for f in fields if f not in special),
        *(on_takeover(f, "NULL") for f in cleared),
        on_takeover(
            "confirmation_mails_requested",
            f"excluded.{column('confirmation_mails_requested')}",
            f"CASE WHEN {already} THEN {ours('confirmation_mails_requested')} "
            f"ELSE {ours('confirmation_mails_requested')} + 1 END",
        ),
        unless_already("language", f"excluded.{column('language')}"),
        f"{status} = CASE WHEN {already} THEN {ours('status')} ELSE excluded.{status} END",
        f"{owed_at} = CASE WHEN {already} THEN excluded.{created_at} "
        f"WHEN {takeover} THEN NULL ELSE {ours('already_signed_mail_requested_at')} END",
        f"{column('is_owed_already_signed_mail')} = {already}",
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
        f"OR ({takeover} AND NOT {ours('is_counted')}) "
        f"OR ({already} AND ({ours('already_signed_mail_requested_at')} IS NULL "
        f"OR {ours('already_signed_mail_requested_at')} < %s))) "
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
    # The "already signed" mail of a confirmed signature signed again (`SignatureManager.sign`):
    # when it was last asked for, which keeps it to one per ALREADY_SIGNED_MAIL_INTERVAL, and
    # whether it is still to be sent (cleared by the mail job once the server took it).
    already_signed_mail_requested_at = models.DateTimeField(
        _("already-signed mail asked for at"), null=True, blank=True, editable=False
    )
    is_owed_already_signed_mail = models.BooleanField(
        _("owed an already-signed mail"), default=False, editable=False
    )
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
            # The mail job's other queue: confirmed signatures owed an "already signed" mail.
            # Holds only those, a handful at any time.
            models.Index(
                fields=["id"],
                condition=Q(status="confirmed", is_owed_already_signed_mail=True),
                name="signature_owed_signed_mail_idx",
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
