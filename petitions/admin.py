from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .email_keys import email_key
from .models import CountryTally, Petition, Signature


class CountryTallyInline(admin.TabularInline):
    """Read-only: the counting job keeps these; `reconcile_counts` corrects them."""

    model = CountryTally
    fields = ["country", "signature_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-signature_count"]

    def has_add_permission(self, request: HttpRequest, obj: Petition | None = None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ["title_en", "status", "signature_count", "goal", "opens_at", "closes_at"]
    list_filter = ["status"]
    search_fields = ["title_en", "title_zh_hant", "title_zh_hans", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = ["signature_count", "created_at", "updated_at"]
    inlines = [CountryTallyInline]
    fieldsets = [
        (None, {"fields": ["slug", "status", "goal", "opens_at", "closes_at"]}),
        (_("English"), {"fields": ["title_en", "target_en", "summary_en", "text_en"]}),
        (
            _("Traditional Chinese"),
            {"fields": ["title_zh_hant", "target_zh_hant", "summary_zh_hant", "text_zh_hant"]},
        ),
        (
            _("Simplified Chinese"),
            {"fields": ["title_zh_hans", "target_zh_hans", "summary_zh_hans", "text_zh_hans"]},
        ),
        (
            _("Count"),
            {
                "fields": ["signature_count", "created_at", "updated_at"],
                "description": _(
                    "Kept by the counting job from confirmed signatures; never edited by hand."
                ),
            },
        ),
    ]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["full_name", "petition", "country", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "petition", "country"]
    list_select_related = ["petition"]
    date_hierarchy = "created_at"
    # A million rows: no COUNT(*) of the whole table on every page.
    show_full_result_count = False
    search_fields = ["full_name"]
    search_help_text = _("A name (or part of it), or an exact email address.")
    readonly_fields = [
        "petition",
        "email_key",
        "language",
        "consented_at",
        "consent_version",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
        "confirmation_mails_requested",
        "confirmation_mails_sent",
        "last_mailed_at",
        "is_counted",
    ]
    fieldsets = [
        (None, {"fields": ["petition", "status", "full_name", "email", "country", "comment"]}),
        (
            _("Consent"),
            {"fields": ["show_name_publicly", "wants_updates", "consented_at", "consent_version"]},
        ),
        (
            _("System"),
            {
                "fields": [
                    "email_key",
                    "language",
                    "created_at",
                    "confirmed_at",
                    "withdrawn_at",
                    "confirmation_mails_requested",
                    "confirmation_mails_sent",
                    "last_mailed_at",
                    "is_counted",
                ]
            },
        ),
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """An address is looked up exactly, through its canonical key (an indexed lookup)."""
        if "@" in search_term:
            return queryset.filter(email_key=email_key(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Signatures come from signers, through the form and its confirmation mail.
        return False
