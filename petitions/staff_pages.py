"""
The staff site's own pages, beyond Django's lists and forms: the CSV exports (a petition's
signatures or endorsements, and the filtered signature list), bulk invalidation, erasing a
person's data on request, and the endorsement import.

The ModelAdmins in admin.py add them to their URLs from the lists here (`petition_pages`,
`signature_pages`, `endorsement_pages`). Each page checks its own permission, builds its context
with `staff_page_context` (so it sits in the admin like any other page) and renders a template
under templates/admin/petitions/.
"""

from collections.abc import Callable
from contextlib import suppress
from copy import copy
from functools import partial, update_wrapper

from django import forms
from django.contrib import admin
from django.contrib.admin.models import CHANGE
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import IGNORED_PARAMS, SEARCH_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import exports, retention, staff_groups
from .admin_history import log_history
from .bulk_invalidation import BulkInvalidationForm
from .endorsement_import import import_endorsements
from .forms import ErasureRequestForm
from .models import Endorsement, Petition, Signature
from .staff_activity import StaffActivityFilter


def log_actions(request: HttpRequest, objects: list[Model], message: str) -> None:
    """
    Write one admin history entry per changed object, naming the staff member (the pages
    here and the actions in admin.py).
    """
    if objects:
        log_history(request.user.pk, objects, CHANGE, message)


def staff_page_context(
    request: HttpRequest, model_admin: admin.ModelAdmin, title: str, **extra: object
) -> dict:
    """
    What every staff page's template needs from the admin: the site's own context (its header,
    the user's apps for the sidebar), the page's title and the model's options (the breadcrumbs
    link back to its list), then the page's own values.
    """
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        **extra,
    }


def _page(model_admin: admin.ModelAdmin, route: str, view: Callable, name: str) -> URLPattern:
    """A page of the staff site: behind its login (and 2FA), with the ModelAdmin handed in."""
    # Named after the page function, so resolve() and error reports name the real view.
    bound = update_wrapper(partial(view, model_admin=model_admin), view)
    return path(route, model_admin.admin_site.admin_view(bound), name=name)


def petition_pages(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    return [
        _page(model_admin, "staff-activity/", staff_activity_page, "petitions_staff_activity"),
        _page(
            model_admin, "<slug:slug>/export/", export_signatures_page, "petitions_petition_export"
        ),
        _page(
            model_admin,
            "<slug:slug>/export-endorsements/",
            export_endorsements_page,
            "petitions_petition_export_endorsements",
        ),
    ]


def signature_pages(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    return [
        _page(
            model_admin,
            "invalidate/",
            invalidate_signatures_page,
            "petitions_signature_invalidate",
        ),
        _page(model_admin, "erase-person/", erase_person_page, "petitions_signature_erase_person"),
        _page(
            model_admin, "export/", export_filtered_signatures_page, "petitions_signature_export"
        ),
    ]


def endorsement_pages(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    return [
        _page(model_admin, "import/", import_endorsements_page, "petitions_endorsement_import"),
    ]


def _permission_label(permission: str) -> str:
    """A permission's name as the models declare it ("Can export signature lists"), translated."""
    codename = permission.split(".", 1)[1]
    for model in (Signature, Endorsement):
        for name, label in model._meta.permissions:
            if name == codename:
                return str(label)
    return permission


def _export_refused(
    request: HttpRequest, model_admin: admin.ModelAdmin, permission: str
) -> HttpResponse:
    """
    Staff without the permission stay in the staff site and are told who may export: Django's
    PermissionDenied would send them to the public site's error page, with no reason given.
    """
    context = staff_page_context(
        request,
        model_admin,
        gettext("You may not export this list"),
        permission_label=_permission_label(permission),
        groups=staff_groups.groups_given(permission.split(".", 1)[1]),
    )
    return TemplateResponse(request, "admin/petitions/export_refused.html", context, status=403)


def _export_page(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    *,
    permission: str,
    title: str,
    described: list[str],
    count: Callable[[], int],
    summary: Callable[[int, bool], str],
    stream: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """
    The export form, then the CSV. A GET shows the form and what it will export, in words and
    with the count; only a POST (behind Django's CSRF check, so never a link or an image on
    another site) streams the file.
    """
    if not request.user.has_perm(permission):
        return _export_refused(request, model_admin, permission)
    form = exports.ExportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return stream(form.cleaned_data)
    rows = count()
    include_email = bool(form["include_email"].value())
    context = staff_page_context(
        request,
        model_admin,
        title,
        form=form,
        described=described,
        # Both sentences, one hidden: static/js/export_summary.js swaps them as the box is ticked.
        summaries=[
            {"text": summary(rows, False), "hidden": include_email, "with_email": False},
            {"text": summary(rows, True), "hidden": not include_email, "with_email": True},
        ],
    )
    return TemplateResponse(request, "admin/petitions/export.html", context)


def _count(number: int) -> str:
    return number_format(number, force_grouping=True)


def _confirmed_signatures_summary(rows: int, include_email: bool) -> str:
    if include_email:
        sentence = ngettext(
            "You are about to export %(count)s confirmed signature (with email addresses).",
            "You are about to export %(count)s confirmed signatures (with email addresses).",
            rows,
        )
    else:
        sentence = ngettext(
            "You are about to export %(count)s confirmed signature (no email addresses).",
            "You are about to export %(count)s confirmed signatures (no email addresses).",
            rows,
        )
    return sentence % {"count": _count(rows)}


def _signatures_summary(rows: int, include_email: bool) -> str:
    if include_email:
        sentence = ngettext(
            "You are about to export %(count)s signature (with email addresses).",
            "You are about to export %(count)s signatures (with email addresses).",
            rows,
        )
    else:
        sentence = ngettext(
            "You are about to export %(count)s signature (no email addresses).",
            "You are about to export %(count)s signatures (no email addresses).",
            rows,
        )
    return sentence % {"count": _count(rows)}


def _endorsements_summary(rows: int, include_email: bool) -> str:
    if include_email:
        sentence = ngettext(
            "You are about to export %(count)s approved endorsement "
            "(with contact names and email addresses).",
            "You are about to export %(count)s approved endorsements "
            "(with contact names and email addresses).",
            rows,
        )
    else:
        sentence = ngettext(
            "You are about to export %(count)s approved endorsement "
            "(no contact names or email addresses).",
            "You are about to export %(count)s approved endorsements "
            "(no contact names or email addresses).",
            rows,
        )
    return sentence % {"count": _count(rows)}


def export_signatures_page(
    request: HttpRequest, model_admin: admin.ModelAdmin, slug: str
) -> HttpResponse:
    """The delivery list: the petition's confirmed signatures."""
    petition = get_object_or_404(Petition, slug=slug)
    return _export_page(
        request,
        model_admin,
        permission="petitions.export_signatures",
        title=gettext("Export the signatures of “%(petition)s”") % {"petition": petition},
        described=[gettext("Confirmed signatures of “%(petition)s”") % {"petition": petition}],
        count=petition.signatures.confirmed().count,
        summary=_confirmed_signatures_summary,
        stream=lambda options: exports.export_signatures(
            request,
            petition.signatures.confirmed(),
            options,
            petition=petition,
            filters={"status": Signature.Status.CONFIRMED},
        ),
    )


def export_endorsements_page(
    request: HttpRequest, model_admin: admin.ModelAdmin, slug: str
) -> HttpResponse:
    petition = get_object_or_404(Petition, slug=slug)
    return _export_page(
        request,
        model_admin,
        permission="petitions.export_endorsements",
        title=gettext("Export the endorsements of “%(petition)s”") % {"petition": petition},
        described=[gettext("Approved endorsements of “%(petition)s”") % {"petition": petition}],
        count=Endorsement.objects.approved().filter(petition=petition).count,
        summary=_endorsements_summary,
        stream=lambda options: exports.export_endorsements(request, petition, options),
    )


def _conditions_in_words(changelist: ChangeList, filters: dict) -> list[str]:
    """
    The changelist's conditions as its sidebar names them ("Suspected signatures", "Status:
    Rejected"), never as the query's parameters.
    """
    conditions = []
    described = {SEARCH_VAR, *IGNORED_PARAMS}
    for spec in changelist.filter_specs:
        if not spec.used_parameters:
            continue
        described.update(spec.expected_parameters())
        chosen = [choice["display"] for choice in spec.choices(changelist) if choice["selected"]]
        if isinstance(spec, admin.SimpleListFilter) and spec.parameter_name == "queue":
            conditions += [str(display) for display in chosen]
        else:
            conditions += [f"{capfirst(spec.title)}: {display}" for display in chosen]
    hierarchy = changelist.date_hierarchy
    parts = [f"{hierarchy}__{part}" for part in ("year", "month", "day")]
    period = [filters[part] for part in parts if part in filters]
    described.update(parts)
    if period:
        conditions.append(gettext("Signed in %(period)s") % {"period": "-".join(period)})
    # A filter the sidebar does not offer (the petition filter when there is one petition):
    # its field's name and the value, the related object's name for a relation.
    for name, value in filters.items():
        if name not in described:
            conditions.append(_condition_in_words(changelist.model, name, value))
    if changelist.query:
        conditions.append(gettext("Found by “%(search)s”") % {"search": changelist.query})
    return conditions or [gettext("All signatures, whatever their status")]


def _condition_in_words(model: type[Model], name: str, value: str) -> str:
    try:
        field = model._meta.get_field(name.split(LOOKUP_SEP, 1)[0])
    except FieldDoesNotExist:
        return f"{name}: {value}"
    shown = value
    if field.is_relation:
        # A lookup other than the key (__isnull, ...) shows its value as it is.
        with suppress(ValueError, ValidationError):
            shown = str(field.related_model.objects.filter(pk=value).first() or value)
    elif field.choices:
        shown = str(dict(field.flatchoices).get(value, value))
    return f"{capfirst(field.verbose_name)}: {shown}"


# A search is often a person's name or address: the export record keeps that there was one,
# never its words, so an erasure leaves nothing of the person in the records.
SEARCH_NOT_KEPT = "(a search, not kept)"


def _recorded(filters: dict[str, str]) -> dict[str, str]:
    """The filters as the export record keeps them."""
    return {**filters, SEARCH_VAR: SEARCH_NOT_KEPT} if filters.get(SEARCH_VAR) else filters


def export_filtered_signatures_page(
    request: HttpRequest, model_admin: admin.ModelAdmin
) -> HttpResponse:
    """The changelist as it is filtered (and searched), as CSV: its address carries the query."""
    filters = {
        name: value for name, value in request.GET.items() if name not in exports.ExportForm.FIELDS
    }
    if not request.user.has_perm("petitions.export_signatures"):
        return _export_refused(request, model_admin, "petitions.export_signatures")
    # The changelist's own filtering and search, fed the changelist's query alone.
    changelist_request = copy(request)
    changelist_request.GET = QueryDict(mutable=True)
    changelist_request.GET.update(filters)
    changelist_request.method = "GET"
    try:
        changelist = model_admin.get_changelist_instance(changelist_request)
        queryset = changelist.get_queryset(changelist_request)
    except IncorrectLookupParameters:
        return HttpResponseBadRequest(gettext("These filters are not valid."))
    return _export_page(
        request,
        model_admin,
        permission="petitions.export_signatures",
        title=gettext("Export the filtered signatures"),
        described=_conditions_in_words(changelist, filters),
        count=queryset.count,
        summary=_signatures_summary,
        stream=lambda options: exports.export_signatures(
            request, queryset, options, petition=None, filters=_recorded(filters), with_status=True
        ),
    )


def invalidate_signatures_page(
    request: HttpRequest, model_admin: admin.ModelAdmin
) -> HttpResponse:
    """
    Bulk invalidation. The first POST shows how many signatures match; only the second,
    with the same conditions and "confirm", rejects them: one UPDATE, one history entry
    per petition touched. The counting job then takes counted ones off the totals.
    """
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    form = BulkInvalidationForm(request.POST or None)
    matched = None
    if request.method == "POST" and form.is_valid():
        matching = form.matching()
        if "confirm" in request.POST:
            with transaction.atomic():
                petitions = list(Petition.objects.filter(pk__in=matching.values("petition_id")))
                rejected = matching.reject()
                message = gettext(
                    "Bulk invalidation: rejected %(count)d signatures matching %(conditions)s."
                ) % {"count": rejected, "conditions": form.conditions()}
                log_actions(request, petitions, message)
            model_admin.message_user(
                request,
                ngettext(
                    "Rejected %(count)d signature.",
                    "Rejected %(count)d signatures.",
                    rejected,
                )
                % {"count": rejected},
            )
            form = BulkInvalidationForm()
        else:
            matched = matching.count()
    context = staff_page_context(
        request, model_admin, _("Invalidate signatures in bulk"), form=form, matched=matched
    )
    return TemplateResponse(request, "admin/petitions/signature/invalidate.html", context)


def erase_person_page(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """
    Erase one person's data on their request, by email address (its canonical key, so any
    spelling of the address finds it), across every petition. The first POST shows what
    was found and changes nothing; the second, with "confirm", withdraws their signatures
    and erases their endorsement contact details. The history records each change under
    its object without the address, which is exactly what was erased.
    """
    if not (
        model_admin.has_change_permission(request)
        and request.user.has_perm("petitions.change_endorsement")
    ):
        raise PermissionDenied
    form = ErasureRequestForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if "confirm" in request.POST:
            signatures, endorsements = retention.erase_person(email)
            log_actions(
                request,
                [*signatures, *endorsements],
                gettext("Erased the personal data on the person's request."),
            )
            model_admin.message_user(
                request,
                gettext(
                    "Erased: %(signatures)d signature(s) withdrawn, %(endorsements)d "
                    "endorsement contact(s) erased."
                )
                % {"signatures": len(signatures), "endorsements": len(endorsements)},
            )
            form = ErasureRequestForm()
        else:
            signatures, endorsements = retention.find_person(email)
            found = {"signatures": list(signatures), "endorsements": list(endorsements)}
    context = staff_page_context(
        request, model_admin, _("Erase a person's data"), form=form, found=found
    )
    return TemplateResponse(request, "admin/petitions/signature/erase_person.html", context)


STAFF_ACTIVITY_PER_PAGE = 50


def staff_activity_page(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """
    What staff did, newest first, filtered by the query string (a GET: the page changes
    nothing, and a filtered view can be bookmarked or sent to a colleague). Read-only.
    """
    if not request.user.has_perm("petitions.view_staff_activity"):
        raise PermissionDenied
    form = StaffActivityFilter(request.GET)
    page = None
    if form.is_valid():
        paginator = Paginator(form.activity(), STAFF_ACTIVITY_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = staff_page_context(
        request,
        model_admin,
        _("Staff activity"),
        form=form,
        page=page,
        filter_query=query.urlencode(),
    )
    return TemplateResponse(request, "admin/petitions/staff_activity.html", context)


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


def import_endorsements_page(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """Staff upload a list of organisations; the page reports what the import did."""
    if not model_admin.has_change_permission(request):
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
    context = staff_page_context(
        request, model_admin, _("Import endorsing organisations"), form=form, report=report
    )
    return TemplateResponse(request, "admin/petitions/endorsement/import.html", context)
