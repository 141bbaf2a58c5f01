from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Statement, StatementSignatory, Topic


class StatementSignatoryInline(admin.TabularInline):
    model = StatementSignatory
    fields = ["position", "organisation"]
    autocomplete_fields = ["organisation"]
    ordering = ["position"]
    extra = 1


class TranslationInline(admin.TabularInline):
    """The statement's translations, each edited on its own page (follow the link)."""

    model = Statement
    fk_name = "original"
    fields = ["title", "language", "slug", "is_published"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name = _("translation")
    verbose_name_plural = _("translations")

    def has_add_permission(self, request: HttpRequest, obj: Statement | None = None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "language", "is_published"]
    list_filter = ["is_published", "kind", "language", "topics", "publisher"]
    search_fields = ["title", "slug", "publisher", "author"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["original", "petition", "topics"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [StatementSignatoryInline, TranslationInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "original", "is_published"]}),
        (
            _("Attribution"),
            {
                "fields": [
                    "publisher",
                    "author",
                    "published_on",
                    "kind",
                    "source_name",
                    "source_url",
                ]
            },
        ),
        (_("Text"), {"fields": ["summary", "body"]}),
        (_("Links"), {"fields": ["topics", "petition"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    # "View on site" opens the public address; staff see drafts there too (a preview).

    @admin.action(description=_("Publish the selected statements"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        statements = list(queryset.filter(is_published=False))
        for statement in statements:
            statement.publish()
        self.message_user(
            request, _("Published %(count)d statement(s).") % {"count": len(statements)}
        )

    @admin.action(description=_("Unpublish the selected statements"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        statements = list(queryset.filter(is_published=True))
        for statement in statements:
            statement.unpublish()
        self.message_user(
            request, _("Unpublished %(count)d statement(s).") % {"count": len(statements)}
        )


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh_hant", "name_zh_hans", "slug"]
    search_fields = ["name_en", "name_zh_hant", "name_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


# Organisation's admin (with the search the statement signatories' autocomplete needs) is
# petitions.admin.OrganisationAdmin.
