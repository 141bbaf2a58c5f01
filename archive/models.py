from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from petitions.country_choices import collator
from petitions.models import Organisation, Petition, Translated

from .search import SEARCHED_FIELDS, searchable_text

# Language codes as Django spells them (`zh-hant`) and as HTML `lang` attributes and the
# Atom feed spell them (BCP 47 capitalises the script: `zh-Hant`).
LANGUAGE_TAGS = {"en": "en", "zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}


class Topic(models.Model):
    """What a statement is about (Tiananmen Mothers, Tibet, Hong Kong…), for the list's filter."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh_hant = models.CharField(_("name (Traditional Chinese)"), max_length=100, blank=True)
    name_zh_hans = models.CharField(_("name (Simplified Chinese)"), max_length=100, blank=True)

    name = Translated()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name_en


# Which version of a statement a reader gets in a list, by the reader's language: their own,
# then the other Chinese script (a Chinese reader reads either), then the original.
READING_ORDER = {
    "en": ["en"],
    "zh-hant": ["zh-hant", "zh-hans"],
    "zh-hans": ["zh-hans", "zh-hant"],
}


@dataclass
class StatementItem:
    """One statement in a list, whatever languages it exists in: the version shown, and the
    others (linked from the item)."""

    shown: "Statement"
    others: list["Statement"]

    @property
    def summary_version(self) -> "Statement":
        """The version whose summary the item shows: the shown one's, else the first other
        version's that has one (in its own language, marked as such)."""
        if self.shown.summary:
            return self.shown
        return next((version for version in self.others if version.summary), self.shown)


@dataclass
class CountryGroup:
    """A statement's signatories from one country, as its page lists them."""

    code: str
    name: str
    organisations: list[Organisation]
    # How many signed from the country, when only the first of them are in `organisations`.
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.organisations) if self.total is None else self.total

    @property
    def anchor(self) -> str:
        return f"signatories-{self.code.lower()}"


@dataclass
class Signatories:
    """A statement's signatories by country, and those whose country is not stated."""

    by_country: list[CountryGroup]
    country_not_stated: list[Organisation]

    @property
    def count(self) -> int:
        return sum(len(g.organisations) for g in self.by_country) + len(self.country_not_stated)


class StatementQuerySet(models.QuerySet):
    def published(self) -> "StatementQuerySet":
        return self.filter(is_published=True)

    def groups(self, *, ranked: bool = False) -> "models.QuerySet[dict]":
        """
        One row per statement of these, whatever languages it exists in: `root` (the original's
        id, which each translation points at) and `latest` (its newest version's date), newest
        first, or best search rank first when `ranked` (the `rank` that search() annotates).
        """
        groups = (
            self.order_by()
            .values(root=Coalesce("original_id", "pk"))
            .annotate(latest=Max("published_on"))
        )
        if ranked:
            return groups.annotate(best=Max("rank")).order_by("-best", "-latest", "root")
        return groups.order_by("-latest", "root")

    def items(
        self, roots: list[int], *, reader: str, matched: "StatementQuerySet | None" = None
    ) -> list[StatementItem]:
        """
        The statements `roots` names (`groups`), in that order, each as the version in the
        `reader`'s language where it has one (READING_ORDER), else its original, with links to
        the versions here in other languages. With `matched` (a search's or a filter's result)
        the version shown is one that matched, so that what was searched for is on screen: a
        search for 吳敏兒 shows the Chinese text that names her, even to an English reader.
        One query, two with `matched`.
        """
        eligible = None
        if matched is not None:
            in_roots = Q(pk__in=roots) | Q(original_id__in=roots)
            eligible = set(matched.filter(in_roots).values_list("pk", flat=True))
        versions: dict[int, list[Statement]] = {root: [] for root in roots}
        for version in self.filter(Q(pk__in=roots) | Q(original_id__in=roots)).order_by(
            "language"
        ):
            versions[version.original_id or version.pk].append(version)
        return [_item(group, reader, eligible) for group in versions.values() if group]

    def visible_to(self, user: object) -> "StatementQuerySet":
        """Staff preview drafts at their own address; everybody else sees published ones."""
        if getattr(user, "is_staff", False):
            return self.all()
        return self.published()


def _item(
    versions: Iterable["Statement"], reader: str, eligible: set[int] | None
) -> StatementItem:
    versions = list(versions)
    preference = READING_ORDER.get(reader, [reader])

    def rank(version: Statement) -> tuple[int, int, int]:
        wanted = preference.index(version.language) if version.language in preference else 99
        unmatched = 0 if eligible is None or version.pk in eligible else 1
        return (unmatched, wanted, 0 if version.original_id is None else 1)

    shown = min(versions, key=rank)
    return StatementItem(shown=shown, others=[v for v in versions if v is not shown])


class Statement(models.Model):
    """
    An archived public text, in the one language it was published in.

    A translation is a statement of its own (its own slug, language and text) that points at the
    original; `versions()` gathers the original and all its translations.
    """

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        JOINT_STATEMENT = "joint-statement", _("Joint statement")
        PRESS_RELEASE = "press-release", _("Press release")
        NEWS_ARTICLE = "news-article", _("News article")
        BLOG_POST = "blog-post", _("Blog post")
        ANNOUNCEMENT = "announcement", _("Announcement")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        TRADITIONAL_CHINESE = "zh-hant", _("Traditional Chinese")
        SIMPLIFIED_CHINESE = "zh-hans", _("Simplified Chinese")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("The permanent address: never change it."),
    )
    publisher = models.CharField(_("publisher"), max_length=200)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("publication date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATEMENT)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"))
    source_name = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("related petition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    original = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("For a translation: the statement it translates."),
    )
    signatories = models.ManyToManyField(
        Organisation,
        verbose_name=_("signatories"),
        through="StatementSignatory",
        related_name="signed_statements",
        blank=True,
    )
    # Title, summary and body in Simplified script, for searching both scripts: see search.py.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = StatementQuerySet.as_manager()

    # On PostgreSQL the table also has `search_document` (a stored generated tsvector, GIN
    # indexed) and trigram indexes, made by migration 0001 outside the model: see search.py.
    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            # The archive list: published statements, newest first.
            models.Index(fields=["is_published", "-published_on"], name="statement_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(original=models.F("pk")), name="statement_not_its_own_translation"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = searchable_text(self.title, self.summary, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("archive:statement-detail", kwargs={"slug": self.slug})

    @property
    def lang_tag(self) -> str:
        """The statement's language as an HTML `lang` value (`zh-Hant`, not `zh-hant`)."""
        return LANGUAGE_TAGS.get(self.language, self.language)

    def versions(self) -> "StatementQuerySet":
        """This statement in every language it exists in, itself included."""
        root = self.original_id or self.pk
        return Statement.objects.filter(Q(pk=root) | Q(original_id=root))

    def other_versions(self, user: object = None) -> "StatementQuerySet":
        """The other language versions a visitor may read."""
        return self.versions().visible_to(user).exclude(pk=self.pk).order_by("language")

    def ordered_signatories(self) -> list[Organisation]:
        """The organisations that signed, in the order the statement lists them."""
        return [link.organisation for link in self.signatory_links.select_related("organisation")]

    def signatories_by_country(self) -> Signatories:
        """
        Signatories grouped by country, named in the active language and in its collation
        order (ICU: stroke order for Traditional Chinese, pinyin for Simplified), so a reader
        finds their country where they expect it; statement order kept within a country.
        Organisations whose country is not stated are kept apart, for the end of the list.
        """
        groups: dict[str, CountryGroup] = {}
        not_stated = []
        for organisation in self.ordered_signatories():
            country = organisation.country
            if not country:
                not_stated.append(organisation)
                continue
            group = groups.get(country.code)
            if group is None:
                group = groups[country.code] = CountryGroup(country.code, str(country.name), [])
            group.organisations.append(organisation)
        sort_key = collator(get_language() or settings.LANGUAGE_CODE).getSortKey
        by_country = sorted(groups.values(), key=lambda group: sort_key(group.name))
        return Signatories(by_country=by_country, country_not_stated=not_stated)

    def public_petition(self) -> Petition | None:
        """The related petition (a translation shares its original's), unless it is a draft."""
        petition_id = self.petition_id or (self.original.petition_id if self.original else None)
        return Petition.objects.published().filter(pk=petition_id).first() if petition_id else None

    def citation(self) -> str:
        """
        A plain-text reference to paste into an article or a footnote: who, what, when, the
        original's address where known, and this archive's permanent address.
        """
        date = formats.date_format(self.published_on, "DATE_FORMAT")
        parts = [self.author, f"“{self.title}”", self.publisher, date]
        citation = ", ".join(part for part in parts if part) + "."
        if self.source_url:
            citation += f" {self.source_url}."
        archived = _("Archived at %(address)s") % {
            "address": f"{settings.SITE_URL}{self.get_absolute_url()}"
        }
        return f"{citation} {archived}"

    def publish(self) -> None:
        self.is_published = True
        self.save(update_fields=["is_published", "updated_at"])

    def unpublish(self) -> None:
        self.is_published = False
        self.save(update_fields=["is_published", "updated_at"])


class StatementSignatory(models.Model):
    """One organisation's name under one statement, at its place in the statement's list."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="signatory_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="statement_signatures",
    )
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"], name="statement_signed_once_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["statement", "position"], name="statement_signatory_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.organisation}"
