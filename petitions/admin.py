from datetime import timedelta
from functools import partial

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import abuse, staff_pages, tasks
from .admin_history import HistoryByNumber
from .admin_lookups import OfferedLookupsOnly
from .admin_paging import EstimatedCountPaginator
from .email_keys import email_key
from .models import (
    CountryTally,
    EmailDomainRule,
    Endorsement,
    ExportRecord,
    NetworkRule,
    Organisation,
    Petition,
    Signature,
    SignatureQuerySet,
)
from .organisation_names import match_key
from .staff_pages import log_actions, staff_page_context


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
        (
            _("English"),
            {"fields": ["title_en", "target_en", "summary_en", "text_en", "next_steps_en"]},
        ),
        (
            _("Traditional Chinese"),
            {
                "fields": [
                    "title_zh_hant",
                    "target_zh_hant",
                    "summary_zh_hant",
                    "text_zh_hant",
                    "next_steps_zh_hant",
                ]
            },
        ),
        (
            _("Simplified Chinese"),
            {
                "fields": [
                    "title_zh_hans",
                    "target_zh_hans",
                    "summary_zh_hans",
                    "text_zh_hans",
                    "next_steps_zh_hans",
                ]
            },
        ),
        (
            _("Anti-automation"),
            {
                "fields": [
                    "signatures_per_client_per_minute",
                    "signatures_per_client_per_day",
                    "requires_proof_of_work",
                ],
                "description": _(
                    "Signatures beyond these limits from one network address are kept as "
                    "suspected and never counted; the signer sees no difference."
                ),
            },
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

    def get_urls(self) -> list[URLPattern]:
        return [*staff_pages.petition_pages(self), *super().get_urls()]


class SignatureQueueFilter(admin.SimpleListFilter):
    """The moderation queues: suspected signatures, and comments waiting for a decision."""

    title = _("moderation queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("suspected", _("Suspected signatures")),
            ("comments", _("Comments awaiting moderation")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "suspected":
            return queryset.suspected()
        if self.value() == "comments":
            return queryset.comments_awaiting_moderation()
        return queryset


class HasCommentFilter(admin.SimpleListFilter):
    title = _("comment")
    parameter_name = "has_comment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("With a comment")), ("no", _("Without a comment"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.exclude(comment="")
        if self.value() == "no":
            return queryset.filter(comment="")
        return queryset


def _mask(email: str) -> str:
    """j•••@example.org: the domain (what spam judgement needs), never the person."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else ""


class SignatureChangeListQuerySet(SignatureQuerySet):
    """The signature changelist's rows; the date hierarchy asks them for its links."""

    def datetimes(self, field_name: str, kind: str, *args: object, **kwargs: object) -> object:
        """
        The date hierarchy's links (years, months or days that have signatures) without a
        DISTINCT over every row's date, which reads the whole table: each candidate period
        between the first and the last signature is probed for its first row on the
        created_at index (at most 31 probes, each reading one index entry).
        """
        if field_name != "created_at" or kind not in ("year", "month", "day") or args or kwargs:
            return super().datetimes(field_name, kind, *args, **kwargs)
        bounds = self.aggregate(first=Min("created_at"), last=Max("created_at"))
        if bounds["first"] is None:
            return []
        first, last = timezone.localtime(bounds["first"]), timezone.localtime(bounds["last"])
        starts = []
        start = first.replace(hour=0, minute=0, second=0, microsecond=0)
        if kind in ("year", "month"):
            start = start.replace(day=1)
        if kind == "year":
            start = start.replace(month=1)
        while start <= last:
            starts.append(start)
            if kind == "day":
                following = start + timedelta(days=1)
            elif kind == "month":
                following = start.replace(
                    year=start.year + start.month // 12, month=start.month % 12 + 1
                )
            else:
                following = start.replace(year=start.year + 1)
            start = timezone.make_aware(following.replace(tzinfo=None))
        ends = [*starts[1:], None]
        return [
            start
            for start, end in zip(starts, ends, strict=True)
            # Ordered, not .exists(): without an order PostgreSQL scans the table for any row
            # in the period, trusting them to be spread evenly, and signatures lie in the order
            # they came (130 ms a probe at a million rows, 0.1 ms on the index).
            if self.filter(created_at__gte=start, **({"created_at__lt": end} if end else {}))
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:1]
        ]


@admin.register(Signature)
class SignatureAdmin(HistoryByNumber, OfferedLookupsOnly, admin.ModelAdmin):
    # Moderators are shown names and masked addresses, but search neither (admin_lookups).
    personal_fields = frozenset({"full_name", "email", "email_key", "comment", "network"})
    personal_data_permission = "petitions.export_signatures"
    list_display = [
        "full_name",
        "petition",
        "country_name",
        "status",
        "comment_status_shown",
        "created_at",
        "confirmed_at",
    ]
    # By date through the plain date filter (today, past 7 days, ...) and the date hierarchy,
    # whose links come from SignatureChangeListQuerySet.datetimes' index probes, not Django's
    # DISTINCT over every row's date.
    list_filter = [
        SignatureQueueFilter,
        "status",
        HasCommentFilter,
        "petition",
        "country",
        ("created_at", admin.DateFieldListFilter),
    ]
    date_hierarchy = "created_at"
    list_select_related = ["petition"]
    # A million rows: no COUNT(*) of the whole table on every page, nor for the pagination.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Drawing the rows is most of the page's time (the admin renders each cell and checkbox in
    # Python: 100 rows took 150-300 ms on a busy machine); 50 keep a page well under 300 ms.
    list_per_page = 50
    search_fields = ["full_name"]
    search_help_text = _("A name (or part of it), or an exact email address.")
    actions = [
        "clear_selected",
        "reject_selected",
        "approve_comments",
        "reject_comments",
    ]
    # Status and consents change only through the actions and the signer's own links: staff
    # must not confirm an address nobody confirmed, nor consent on a signer's behalf. The
    # signer's own words (name, comment) are read-only: moderation approves or rejects them,
    # it never rewrites them.
    readonly_fields = [
        "petition",
        "status",
        "full_name",
        "comment",
        "show_name_publicly",
        "wants_updates",
        "email_address",
        "masked_email",
        "email_key",
        "network",
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
        "counted_country",
        "counted_on",
        "comment_status",
        "comment_moderated_by",
        "comment_moderated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> SignatureChangeListQuerySet:
        queryset = super().get_queryset(request)
        return SignatureChangeListQuerySet(
            model=queryset.model, query=queryset.query.chain(), using=queryset.db
        )

    def may_see_email(self, request: HttpRequest, signature: Signature | None) -> bool:
        """
        Moderators see an address only on a suspected signature, where judging spam needs it;
        elsewhere its domain. Those who may export lists (and superusers) see it everywhere.
        """
        return request.user.has_perm("petitions.export_signatures") or bool(
            signature and signature.status == Signature.Status.SUSPECTED
        )

    def get_fieldsets(self, request: HttpRequest, obj: Signature | None = None) -> list:
        email = "email_address" if self.may_see_email(request, obj) else "masked_email"
        hidden_keys = [] if self.may_see_email(request, obj) else ["email_key"]
        return [
            (None, {"fields": ["petition", "status", "full_name", email, "country"]}),
            (
                _("Comment"),
                {
                    "fields": [
                        "comment",
                        "comment_status",
                        "comment_moderated_by",
                        "comment_moderated_at",
                    ]
                },
            ),
            (
                _("Consent"),
                {
                    "fields": [
                        "show_name_publicly",
                        "wants_updates",
                        "consented_at",
                        "consent_version",
                    ]
                },
            ),
            (
                _("System"),
                {
                    "fields": [
                        name
                        for name in [
                            "email_key",
                            "network",
                            "language",
                            "created_at",
                            "confirmed_at",
                            "withdrawn_at",
                            "confirmation_mails_requested",
                            "confirmation_mails_sent",
                            "last_mailed_at",
                            "is_counted",
                            "counted_country",
                            "counted_on",
                        ]
                        if name not in hidden_keys
                    ]
                },
            ),
        ]

    @admin.display(description=_("email"))
    def email_address(self, signature: Signature) -> str:
        return signature.email

    @admin.display(description=_("email"))
    def masked_email(self, signature: Signature) -> str:
        return _mask(signature.email)

    @admin.display(description=_("comment"), ordering="comment_status")
    def comment_status_shown(self, signature: Signature) -> str:
        return signature.get_comment_status_display() if signature.comment else "—"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """An address is looked up exactly, through its canonical key (an indexed lookup)."""
        if "@" in search_term and self.may_search_personal_data(request):
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

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("petitions.export_signatures")

    @admin.action(description=_("Clear the selected suspected signatures"), permissions=["change"])
    def clear_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """
        Genuine after all: a signature its signer had confirmed becomes confirmed again (and
        is counted); one never confirmed goes back to pending and gets its confirmation mail.
        """
        cleared = [signature for signature in queryset.suspected() if signature.clear()]
        if any(signature.status == Signature.Status.PENDING for signature in cleared):
            transaction.on_commit(tasks.mail_confirmations_soon)
        for status in (Signature.Status.CONFIRMED, Signature.Status.PENDING):
            log_actions(
                request,
                [signature for signature in cleared if signature.status == status],
                gettext("Cleared of suspicion: now %(status)s.")
                % {"status": Signature.Status(status).label},
            )
        self.message_user(
            request,
            ngettext("Cleared %(count)d signature.", "Cleared %(count)d signatures.", len(cleared))
            % {"count": len(cleared)},
        )

    @admin.action(description=_("Reject the selected signatures"), permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Rejected signatures are never counted; counted ones leave the totals."""
        rejected = [signature for signature in queryset if signature.reject()]
        log_actions(request, rejected, gettext("Rejected the signature."))
        self.message_user(
            request,
            ngettext(
                "Rejected %(count)d signature.", "Rejected %(count)d signatures.", len(rejected)
            )
            % {"count": len(rejected)},
        )

    def _moderate_comments(self, request: HttpRequest, queryset: QuerySet, approve: bool) -> int:
        changed = [
            signature
            for signature in queryset.exclude(comment="")
            if signature.moderate_comment(by=request.user, approve=approve)
        ]
        log_actions(
            request,
            changed,
            gettext("Approved the comment.") if approve else gettext("Rejected the comment."),
        )
        return len(changed)

    @admin.action(
        description=_("Approve the comments of the selected signatures"), permissions=["change"]
    )
    def approve_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._moderate_comments(request, queryset, approve=True)
        self.message_user(
            request,
            ngettext("Approved %(count)d comment.", "Approved %(count)d comments.", count)
            % {"count": count},
        )

    @admin.action(
        description=_("Reject the comments of the selected signatures"), permissions=["change"]
    )
    def reject_comments(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._moderate_comments(request, queryset, approve=False)
        self.message_user(
            request,
            ngettext("Rejected %(count)d comment.", "Rejected %(count)d comments.", count)
            % {"count": count},
        )

    def get_urls(self) -> list[URLPattern]:
        return [*staff_pages.signature_pages(self), *super().get_urls()]


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


def _queue_decision_mails(endorsements: list[Endorsement]) -> None:
    for endorsement in endorsements:
        transaction.on_commit(
            partial(tasks.send_endorsement_decision_mail.enqueue, endorsement.pk)
        )


@admin.register(Endorsement)
class EndorsementAdmin(HistoryByNumber, OfferedLookupsOnly, admin.ModelAdmin):
    personal_fields = frozenset({"contact_name", "contact_role", "email", "email_key"})
    personal_data_permission = "petitions.export_endorsements"
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
    search_help_text_without_personal_data = _("A name, or part of one.")
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
        if "@" in search_term and self.may_search_personal_data(request):
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
        log_actions(request, approved, gettext("Approved the endorsement."))
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
            log_actions(
                request,
                rejected,
                gettext("Rejected the endorsement: %(reason)s")
                % {"reason": form.cleaned_data["reason"]},
            )
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
        context = staff_page_context(
            request,
            self,
            _("Reject endorsements"),
            form=form,
            endorsements=queryset.select_related("organisation", "petition"),
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(request, "admin/petitions/endorsement/reject.html", context)

    def get_urls(self) -> list[URLPattern]:
        return [*staff_pages.endorsement_pages(self), *super().get_urls()]


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The trace of every export: readable by those allowed, editable by nobody."""

    list_display = [
        "started_at",
        "exported_by_username",
        "kind",
        "petition_slug",
        "row_count",
        "outcome",
        "finished_at",
    ]
    list_filter = ["kind", "outcome", "petition"]
    search_fields = ["exported_by_username", "petition_slug"]
    fields = [
        "kind",
        "petition",
        "petition_slug",
        "exported_by",
        "exported_by_username",
        "filters",
        "columns",
        "row_count",
        "outcome",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    list_select_related = ["petition"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ExportRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ExportRecord | None = None) -> bool:
        return False


class AbuseRuleAdmin(admin.ModelAdmin):
    """Staff's allow and block lists (petitions/abuse.py): a change applies to the next sign."""

    list_display = ["__str__", "is_allowed", "note", "created_at"]
    list_filter = ["is_allowed"]

    def save_model(
        self,
        request: HttpRequest,
        obj: EmailDomainRule | NetworkRule,
        form: forms.Form,
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        abuse.forget_rules()

    def delete_model(self, request: HttpRequest, obj: EmailDomainRule | NetworkRule) -> None:
        super().delete_model(request, obj)
        abuse.forget_rules()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        super().delete_queryset(request, queryset)
        abuse.forget_rules()


@admin.register(EmailDomainRule)
class EmailDomainRuleAdmin(AbuseRuleAdmin):
    search_fields = ["domain"]


@admin.register(NetworkRule)
class NetworkRuleAdmin(AbuseRuleAdmin):
    search_fields = ["network"]
