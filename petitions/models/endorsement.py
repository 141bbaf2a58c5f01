"""
An organisation (one row however many petitions or archived statements it lends its name to)
and its endorsement of a petition: submitted and confirmed by a contact, moderated by staff.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..email_keys import EMAIL_KEY_MAX_LENGTH, EMAIL_MAX_LENGTH, email_key
from ..organisation_names import (
    MATCH_KEY_MAX_LENGTH,
    is_free_mail,
    match_key,
    validate_matchable_name,
)
from .petition import PRIMARY_LANGUAGE, Petition
from .signature import FULL_NAME_MAX_LENGTH

ORGANISATION_NAME_MAX_LENGTH = 200
STATEMENT_OF_SUPPORT_MAX_LENGTH = 500


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
