"""
What the counting job keeps from the confirmed signatures (petitions/counting.py): each
petition's tally per country, shown on its page, and per day, charted on the staff dashboard.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .petition import Petition


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
