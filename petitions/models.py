from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

# Language codes as Django names them, and the suffix of their columns (`title_zh_hant`).
LANGUAGE_SUFFIXES = {"en": "en", "zh-hant": "zh_hant", "zh-hans": "zh_hans"}
PRIMARY_LANGUAGE = "en"


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


class PetitionQuerySet(models.QuerySet):
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
        ]

    def __str__(self) -> str:
        return self.title_en

    def get_absolute_url(self) -> str:
        return reverse("petitions:petition-detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def progress_percent(self) -> int:
        """Share of the goal reached, capped at 100 for the progress bar."""
        if not self.goal:
            return 100
        return min(100, self.signature_count * 100 // self.goal)


class Organisation(models.Model):
    """
    An organisation: shared by endorsements of petitions and by signatories of archived
    statements, so that one NGO is one row however many times it lends its name.
    """

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
