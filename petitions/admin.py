from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaign.admin_paging import EstimatedCountPaginator

from . import tasks
from .email_keys import email_key
from .endorsement_import import import_endorsements
from .models import CountryTally, Endorsement, Organisation, Petition, Signature
from .organisation_names import match_key


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
    readonly_fields = ["signature_count", "endorsement_count", "created_at", "updated_at"]
    inlines = [CountryTallyInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "status",
                    "takes_signatures",
                    "takes_endorsements",
                    "goal",
                    "opens_at",
                    "closes_at",
                ]
            },
        ),
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
                "fields": ["signature_count", "endorsement_count", "created_at", "updated_at"],
                "description": _(
                    "Kept by the counting job from confirmed signatures; never edited by hand."
                ),
            },
        ),
    ]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "petition",
        "country_name",
        "status",
        "created_at",
        "confirmed_at",
    ]
    # By date through the plain date filter (today, past 7 days, ...), not date_hierarchy,
    # whose links need a DISTINCT over every row's date: 0.4 s at a million signatures.
    list_filter = ["status", "petition", "country", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["petition"]
    # A million rows: no COUNT(*) of the whole table on every page, nor for the pagination.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
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

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, signature: Signature) -> str:
        # The country's name directly: the field's own display walks all 250 choices per row,
        # a second per page of 100.
        return signature.country.name

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Signatures come from signers, through the form and its confirmation mail.
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """One row per organisation, shared by endorsements and archived statements' signatories."""

    list_display = ["name", "country", "website", "is_verified", "created_at"]
    list_filter = ["is_verified", "country"]
    search_fields = ["name", "match_key"]
    search_help_text = _("A name, or part of one.")
    readonly_fields = ["match_key", "created_at"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Also find "Аmnesty" (Cyrillic А) and "AMNESTY-INT'L" spellings via the match key."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = match_key(search_term)
        if key:
            found = found | queryset.filter(match_key__contains=key)
        return found, may_have_duplicates


class ModerationFilter(admin.SimpleListFilter):
    """The moderation queue first: endorsements confirmed by their contact, not yet decided."""

    title = _("moderation")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("awaiting", _("Awaiting approval")),
            ("flagged", _("Awaiting approval, flagged")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "awaiting":
            return queryset.awaiting_approval()
        if self.value() == "flagged":
            return queryset.awaiting_approval().filter(
                Q(has_matched_existing_organisation=True) | Q(has_free_mail_contact=True)
            )
        return queryset


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the organisation's contact, and kept with the endorsement."),
    )


class EndorsementImportForm(forms.Form):
    petition = forms.ModelChoiceField(
        label=_("Petition"), queryset=Petition.objects.filter(takes_endorsements=True)
    )
    file = forms.FileField(
        label=_("List of organisations"),
        help_text=_(
            "A UTF-8 text file, one organisation per line: "
            "Name | country code | website, for example "
            "Example Network | GB | https://example.org. Country and website are optional."
        ),
    )


def _queue_decision_mails(endorsements: list[Endorsement]) -> None:
    for endorsement in endorsements:
        transaction.on_commit(
            partial(tasks.send_endorsement_decision_mail.enqueue, endorsement.pk)
        )


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "petition",
        "kind",
        "status",
        "has_matched_existing_organisation",
        "has_free_mail_contact",
        "source",
        "created_at",
    ]
    list_filter = [
        ModerationFilter,
        "status",
        "has_matched_existing_organisation",
        "has_free_mail_contact",
        "source",
        "kind",
        "petition",
    ]
    list_select_related = ["organisation", "petition"]
    date_hierarchy = "created_at"
    search_fields = ["organisation__name", "submitted_name", "contact_name"]
    search_help_text = _("An organisation's or contact's name, or an exact email address.")
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [
        "petition",
        "organisation",
        "submitted_name",
        "submitted_website",
        "source",
        "email_key",
        "is_authorised",
        "language",
        "status",
        "has_matched_existing_organisation",
        "has_free_mail_contact",
        "moderated_by",
        "moderated_at",
        "rejection_reason",
        "created_at",
        "confirmed_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "petition",
                    "organisation",
                    "kind",
                    "statement",
                    "status",
                    "source",
                ]
            },
        ),
        (
            _("Flags for review"),
            {
                "fields": [
                    "has_matched_existing_organisation",
                    "has_free_mail_contact",
                    "submitted_name",
                    "submitted_website",
                ]
            },
        ),
        (
            _("Contact (never public)"),
            {"fields": ["contact_name", "contact_role", "email", "is_authorised", "language"]},
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    "moderated_by",
                    "moderated_at",
                    "rejection_reason",
                    "created_at",
                    "confirmed_at",
                    "email_key",
                ]
            },
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Endorsements come from the form (with its confirmation mail) or from an import.
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if "@" in search_term:
            return queryset.filter(email_key=email_key(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.action(description=_("Approve the selected endorsements"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        approved = []
        # Never one its contact has not confirmed: the mail is our only check of the address.
        decidable = queryset.filter(
            status__in=[Endorsement.Status.AWAITING_APPROVAL, Endorsement.Status.REJECTED]
        )
        for endorsement in decidable.select_related("petition"):
            endorsement.approve(by=request.user)
            approved.append(endorsement)
        _queue_decision_mails(approved)
        self.message_user(
            request,
            ngettext(
                "Approved %(count)d endorsement.",
                "Approved %(count)d endorsements.",
                len(approved),
            )
            % {"count": len(approved)},
        )

    @admin.action(description=_("Reject the selected endorsements…"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Ask for the reason first: it goes to the contact and stays with the endorsement."""
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            rejected = []
            for endorsement in queryset.exclude(status=Endorsement.Status.REJECTED).select_related(
                "petition"
            ):
                endorsement.reject(by=request.user, reason=form.cleaned_data["reason"])
                rejected.append(endorsement)
            _queue_decision_mails(rejected)
            self.message_user(
                request,
                ngettext(
                    "Rejected %(count)d endorsement.",
                    "Rejected %(count)d endorsements.",
                    len(rejected),
                )
                % {"count": len(rejected)},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject endorsements"),
            "opts": self.model._meta,
            "form": form,
            "endorsements": queryset.select_related("organisation", "petition"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/petitions/endorsement/reject.html", context)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="petitions_endorsement_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Staff upload a list of organisations; the page reports what the import did."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = EndorsementImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                report = import_endorsements(form.cleaned_data["petition"], text, by=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import endorsing organisations"),
            "opts": self.model._meta,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/petitions/endorsement/import.html", context)
