from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Statement

STATEMENTS_IN_FEED = 50


class LanguageTaggedAtom1Feed(Atom1Feed):
    """Atom with `xml:lang` on each entry: the archive mixes English and Chinese statements."""

    def item_attributes(self, item: dict) -> dict:
        return {"xml:lang": item["language"]} if item.get("language") else {}


class StatementFeed(Feed):
    """The newest published statements (never drafts)."""

    feed_type = LanguageTaggedAtom1Feed
    title = _("Candlelight: archive of statements")
    subtitle = _(
        "Public statements in support of the Tiananmen Mothers and of human rights in China."
    )
    link = reverse_lazy("archive:statement-list")

    def items(self) -> QuerySet:
        return Statement.objects.published()[:STATEMENTS_IN_FEED]

    def item_title(self, item: Statement) -> str:
        return item.title

    def item_description(self, item: Statement) -> str:
        return item.summary

    def item_author_name(self, item: Statement) -> str:
        return item.author or item.publisher

    def item_pubdate(self, item: Statement) -> datetime:
        return datetime.combine(item.published_on, time(), tzinfo=UTC)

    def item_updateddate(self, item: Statement) -> datetime:
        return item.updated_at

    def item_extra_kwargs(self, item: Statement) -> dict:
        return {"language": item.lang_tag}
