"""sitemap.xml: every published statement and petition, in each of the site's languages."""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from petitions.models import Petition

from .models import Statement


class StatementSitemap(Sitemap):
    i18n = True  # one <url> per interface language, each listing the others as alternates
    alternates = True
    changefreq = "yearly"

    def items(self) -> QuerySet:
        return Statement.objects.published().order_by("pk")

    def lastmod(self, item: Statement) -> datetime:
        return item.updated_at


class PetitionSitemap(Sitemap):
    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self) -> QuerySet:
        return Petition.objects.published().order_by("pk")

    def lastmod(self, item: Petition) -> datetime:
        return item.updated_at


SITEMAPS = {"statements": StatementSitemap, "petitions": PetitionSitemap}
