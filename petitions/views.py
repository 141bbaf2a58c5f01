from functools import partial

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import View
from django_altcha import AltchaChallengeView

from . import abuse, emails, sharing, tasks
from . import share_image as share_images
from .email_keys import masked_email
from .forms import EndorsementForm, FormGuard, SignatureForm
from .models import (
    LANGUAGE_SUFFIXES,
    PRIMARY_LANGUAGE,
    CountryTally,
    Endorsement,
    Petition,
    Signature,
)
from .page_cache import cached_public_page

PETITIONS_PER_PAGE = 20
TOP_COUNTRIES = 5
RECENT_PUBLIC_SIGNERS = 10
RECENT_PUBLIC_COMMENTS = 10
# The petition page is served from the cache for this long (petitions/page_cache.py): its count
# may be this much older than the kept one, which the counting job advances every few seconds.
PETITION_PAGE_CACHE_SECONDS = 10
# Endorsing organisations named on the petition page; the rest are on the full list's page.
ENDORSEMENTS_ON_PETITION_PAGE = 20
DAY = 24 * 60 * 60
# The id of the sign form's section on the petition page (petition_detail.html).
SIGN_FORM_ANCHOR = "sign-form"
STALE_FORM_MESSAGE = gettext_lazy(
    "This form was open for a long time, so it was not sent. Please check your details and "
    "submit it again."
)


# The check-your-email page shows the address partly masked (email_keys.masked_email) so a
# typo can be spotted. The masked address travels from the form's POST to that page in a short-
# lived signed cookie sent only to that page: never in its URL (logs, history, Referer).
SENT_TO_COOKIE = "sent_to"
SENT_TO_SALT = "petitions.check-email.sent-to"
SENT_TO_MAX_AGE = 15 * 60


def _redirect_with_sent_to(request: HttpRequest, url_name: str, slug: str, email: str):
    """
    Redirect to a check-your-email page, setting the masked address for it: one cookie per
    language's version of the page, so the language switcher there keeps it. (One name each:
    a response holds one cookie per name, and no path covers the three versions but "/".)
    """
    response = redirect(url_name, slug=slug)
    value = signing.dumps(masked_email(email), salt=SENT_TO_SALT)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            path = reverse(url_name, kwargs={"slug": slug})
        response.set_cookie(
            _sent_to_cookie(code),
            value,
            max_age=SENT_TO_MAX_AGE,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _sent_to_cookie(language: str) -> str:
    return f"{SENT_TO_COOKIE}_{language.replace('-', '_')}"


def _sent_to(request: HttpRequest) -> str:
    """The masked address the sign or endorse form just sent to, or "" (expired, forged)."""
    cookie = request.COOKIES.get(_sent_to_cookie(translation.get_language()), "")
    try:
        return signing.loads(cookie, salt=SENT_TO_SALT, max_age=SENT_TO_MAX_AGE)
    except signing.BadSignature:
        return ""


def _visible_petition(slug: str) -> Petition:
    """A published petition (open or closed); drafts are a 404 for the public."""
    return get_object_or_404(Petition.objects.published(), slug=slug)


def _top_countries(petition: Petition) -> list[CountryTally]:
    """The countries with most signers, as a public page may show them (CountryTally.public)."""
    return list(CountryTally.objects.filter(petition=petition).public()[:TOP_COUNTRIES])


def _by_country(endorsements: list[Endorsement]) -> list[tuple[str, list[Endorsement]]]:
    """
    Endorsements grouped under their organisation's country name (in the visitor's language),
    countries in alphabetical order, international organisations last; names sorted within.
    """
    groups: dict[str, list[Endorsement]] = {}
    for endorsement in endorsements:
        country = endorsement.organisation.country
        groups.setdefault(country.name if country else "", []).append(endorsement)
    for members in groups.values():
        members.sort(key=lambda endorsement: endorsement.organisation.name.casefold())
    return sorted(groups.items(), key=lambda group: (group[0] == "", group[0]))


def _language(request: HttpRequest) -> str:
    return (
        request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_SUFFIXES else PRIMARY_LANGUAGE
    )


def _render_petition(
    request: HttpRequest,
    petition: Petition,
    form: SignatureForm | None = None,
    *,
    refused_closed: bool = False,
    refused_endorsements_only: bool = False,
    status: int = 200,
) -> HttpResponse:
    """
    The petition page. Four queries: the petition, its top countries, its public signers, its
    approved comments; a fifth for the first endorsing organisations when it has any (their
    number is a column).
    """
    endorsements = []
    if petition.endorsement_count:
        endorsements = list(
            Endorsement.objects.public_list(petition)[:ENDORSEMENTS_ON_PETITION_PAGE]
        )
    context = {
        "endorsements_by_country": _by_country(endorsements),
        "endorsements_shown": len(endorsements),
        "refused_endorsements_only": refused_endorsements_only,
        "petition": petition,
        "form": form if form is not None else _signature_form(petition),
        "guard": FormGuard(),
        "top_countries": _top_countries(petition),
        "public_signers": list(
            Signature.objects.public()
            .filter(petition=petition)
            .order_by("-confirmed_at")
            .only("full_name", "country", "confirmed_at")[:RECENT_PUBLIC_SIGNERS]
        ),
        # Only the comments staff approved, of confirmed signers; a signer who did not agree to
        # show their name appears as "A signer" (Signature.public_author).
        "public_comments": list(
            Signature.objects.public_comments()
            .filter(petition=petition)
            .order_by("-confirmed_at")
            .only("full_name", "show_name_publicly", "comment", "confirmed_at")[
                :RECENT_PUBLIC_COMMENTS
            ]
        ),
        "sharing": sharing.for_petition(petition),
        "page_url": sharing.petition_url(petition),
        "refused_closed": refused_closed,
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


def _signature_form(petition: Petition, data: object = None) -> SignatureForm:
    form = SignatureForm(data, target=petition.target)
    if petition.requires_proof_of_work:
        form.add_proof_of_work()
    return form


SIGNATURE_LINK_FIELDS = [
    "status",
    "confirmed_at",
    "petition__slug",
    "petition__status",
    "petition__opens_at",
    "petition__closes_at",
    *(f"petition__title_{suffix}" for suffix in LANGUAGE_SUFFIXES.values()),
]


def _invalid_link(
    request: HttpRequest, reason: str, status: int, *, endorsement: bool = False
) -> HttpResponse:
    """The page that explains why a mailed link is no good: expired, broken, gone, closed."""
    context = {"reason": reason, "endorsement": endorsement}
    return render(request, "petitions/link_invalid.html", context, status=status)


def _link_target(
    request: HttpRequest,
    token: str,
    salt: str,
    max_age_seconds: int | None,
    *,
    endorsement: bool = False,
) -> int | HttpResponse:
    """The id a mailed link names, or the page that explains why the link is no good."""
    try:
        return emails.read_token(token, salt, max_age_seconds)
    except signing.SignatureExpired:
        return _invalid_link(request, "expired", 410, endorsement=endorsement)
    except signing.BadSignature:
        return _invalid_link(request, "invalid", 400, endorsement=endorsement)


def _signature_from_token(
    request: HttpRequest, token: str, salt: str, max_age_seconds: int | None
) -> Signature | HttpResponse:
    """The signature a mailed link names, or the page that explains why the link is no good."""
    signature_id = _link_target(request, token, salt, max_age_seconds)
    if isinstance(signature_id, HttpResponse):
        return signature_id
    try:
        return (
            Signature.objects.select_related("petition")
            # What the confirm and withdraw pages use, not every column of two tables.
            .only(*SIGNATURE_LINK_FIELDS)
            .get(
                pk=signature_id,
                petition__status__in=[Petition.Status.OPEN, Petition.Status.CLOSED],
            )
        )
    except Signature.DoesNotExist:
        return _invalid_link(request, "gone", 404)


def _count_soon() -> None:
    """After a confirmation or withdrawal: count now if configured to (the embedded setup)."""
    if settings.COUNT_SIGNATURES_INLINE:
        transaction.on_commit(tasks.count_signatures.enqueue)


class ProofOfWorkChallengeView(AltchaChallengeView):
    """django-altcha's challenge, answering HEAD too (its own view allows GET alone)."""

    @method_decorator(require_safe)
    def dispatch(self, *args: object, **kwargs: object) -> HttpResponse:
        return View.dispatch(self, *args, **kwargs)


@require_safe
def petition_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(Petition.objects.open_first(), PETITIONS_PER_PAGE)
    # get_page turns junk (?page=%00, ?page=-1, ?page=10**30) into the first or last page.
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "petitions/petition_list.html", {"petitions": page.object_list, "page": page}
    )


@require_safe
@cached_public_page(PETITION_PAGE_CACHE_SECONDS)
def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_petition(request, _visible_petition(slug))


def _petition_for_signing(slug: str) -> Petition:
    """
    The petition a sign request names, from the cache for as long as its page is: during a
    surge every signer names the same petition. Its dates are checked live on every request;
    a status staff change reaches signers within PETITION_PAGE_CACHE_SECONDS, as on the page.
    """
    key = f"petition-for-signing:{slug}"
    petition = caches["local"].get(key)
    if petition is None:
        petition = _visible_petition(slug)
        caches["local"].set(key, petition, PETITION_PAGE_CACHE_SECONDS)
    return petition


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    """
    Record a signature and queue its confirmation mail. Two queries: the petition (none while
    it is cached), then one upsert that also applies the rate limit. Every accepted submission,
    new, duplicate or suspected (petitions/abuse.py), gets the same redirect, so the response
    never tells whether an address has signed nor whether the signature was set aside.

    A visit (the language switcher on the form with errors, a reload, a shared link) goes to
    the form on the petition's page rather than to a bare 405.
    """
    petition = _petition_for_signing(slug)
    if request.method != "POST":
        return redirect(f"{petition.get_absolute_url()}#{SIGN_FORM_ANCHOR}")
    if not petition.takes_signatures:
        return _render_petition(request, petition, refused_endorsements_only=True, status=409)
    if not petition.accepts_signatures:
        return _render_petition(request, petition, refused_closed=True, status=409)
    form = _signature_form(petition, request.POST)
    if not form.is_valid():
        return _render_petition(request, petition, form)
    form.cleaned_data.pop("altcha", None)  # the proof of work, checked: nothing to store
    screening = abuse.screen_signature(request, petition, form.cleaned_data["email"])
    if screening.is_stale:
        form.add_error(None, STALE_FORM_MESSAGE)
        return _render_petition(request, petition, form)
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_SUFFIXES else None
    Signature.objects.sign(
        petition=petition,
        language=language or PRIMARY_LANGUAGE,
        network=screening.network,
        status=Signature.Status.SUSPECTED if screening.is_suspected else Signature.Status.PENDING,
        client_hash=screening.client_hash,
        rate_limit=screening.rate_limit,
        **form.cleaned_data,
    )
    # The mail job is queued whatever happened to the submission: the job finds which rows are
    # owed a mail (none for a suspected or duplicate one, petitions/abuse.py). A request that
    # queued it only for a new signer took measurably longer for them than for an address that
    # had signed already, and so told who had.
    transaction.on_commit(tasks.mail_confirmations_soon)
    return _redirect_with_sent_to(
        request, "petitions:check-email", petition.slug, form.cleaned_data["email"]
    )


@require_safe
@cache_control(private=True, no_store=True)
def check_email(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _visible_petition(slug)
    context = {
        "petition": petition,
        "sent_to": _sent_to(request),
        "form_url": f"{petition.get_absolute_url()}#{SIGN_FORM_ANCHOR}",
    }
    return render(request, "petitions/signature_check_email.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_signature(request: HttpRequest, token: str) -> HttpResponse:
    """
    GET shows a Confirm button and changes nothing (mail scanners open links); POST confirms.
    Confirming twice is harmless and ends on the same thank-you page.
    """
    max_age = settings.CONFIRMATION_LINK_MAX_AGE_DAYS * DAY
    if request.method == "POST":
        # The usual case, in one statement: a pending signature of a petition still open.
        signature_id = _link_target(request, token, emails.CONFIRM_SALT, max_age)
        if isinstance(signature_id, HttpResponse):
            return signature_id
        if slug := Signature.objects.confirm_pending(signature_id):
            _count_soon()
            return redirect("petitions:thank-you", slug=slug)
    signature = _signature_from_token(request, token, emails.CONFIRM_SALT, max_age)
    if isinstance(signature, HttpResponse):
        return signature
    if signature.status == Signature.Status.WITHDRAWN:
        return _invalid_link(request, "withdrawn", 410)
    if signature.status == Signature.Status.PENDING and not signature.petition.accepts_signatures:
        return _invalid_link(request, "closed", 410)
    if request.method == "POST":  # confirmed already, or suspected: nothing to do
        return redirect("petitions:thank-you", slug=signature.petition.slug)
    return render(request, "petitions/signature_confirm.html", {"signature": signature})


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_signature(request: HttpRequest, token: str) -> HttpResponse:
    """
    GET asks; POST withdraws and erases the signer's personal data. The withdraw link never
    expires: a signer may take their name back for as long as we hold it.
    """
    signature = _signature_from_token(request, token, emails.WITHDRAW_SALT, None)
    if isinstance(signature, HttpResponse):
        return signature
    if request.method == "POST":
        if signature.status != Signature.Status.WITHDRAWN:
            signature.withdraw()
            _count_soon()
        return redirect("petitions:withdrawn", slug=signature.petition.slug)
    return render(request, "petitions/signature_withdraw.html", {"signature": signature})


@require_safe
def thank_you(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a confirmed signer lands: their place in the count, and what to do next."""
    petition = _visible_petition(slug)
    context = {
        "petition": petition,
        # The count advances in batches: a signer confirmed a moment ago may not be in it yet,
        # but is one of them all the same.
        "signer_count": max(petition.signature_count, 1),
        "sharing": sharing.for_petition(petition),
        "qr_code": sharing.petition_qr_code(petition),
    }
    return render(request, "petitions/signature_thank_you.html", context)


@require_safe
def petition_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """A petition to print on A4 for vigils and street stalls, with a QR code to sign online."""
    petition = _visible_petition(slug)
    context = {
        "petition": petition,
        "petition_url": sharing.petition_url(petition),
        "qr_code": sharing.petition_qr_code(petition),
        "printed_at": timezone.now(),
    }
    return render(request, "petitions/petition_sheet.html", context)


@require_safe
def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    """
    The petition's card picture for links shared on the networks (petitions/share_image.py).
    Cached by browsers and crawlers for a day and revalidated by its ETag, which changes
    whenever the petition is edited.
    """
    petition = _visible_petition(slug)
    language = _language(request)
    etag = share_images.etag(petition, language)
    response = HttpResponse(content_type="image/png")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=DAY)
    conditional = get_conditional_response(request, etag=etag, response=response)
    if conditional is not response:
        return conditional  # 304 Not Modified: nothing drawn, nothing read from the cache
    response.content = share_images.png(petition, language)
    return response


@require_safe
def withdrawn(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _visible_petition(slug)
    return render(request, "petitions/signature_withdrawn.html", {"petition": petition})


@require_safe
@cache_control(public=True, max_age=15)
def petition_count(request: HttpRequest, slug: str) -> JsonResponse:
    """The count and top countries for scripts and `count.js`: no personal data at all."""
    petition = _visible_petition(slug)
    return JsonResponse(
        {
            "slug": petition.slug,
            "status": petition.status,
            "signature_count": petition.signature_count,
            "goal": petition.goal,
            "endorsement_count": petition.endorsement_count,
            "top_countries": [
                {"country": tally.country.code, "signature_count": tally.public_signature_count}
                for tally in _top_countries(petition)
            ],
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    """
    The endorse form. A valid submission records a pending endorsement and queues its
    confirmation mail; a repeat for an organisation that has already endorsed gets the same
    redirect and no mail, so the response never tells who has endorsed what.
    """
    petition = _visible_petition(slug)
    if not petition.endorsing_is_open:
        return render(request, "petitions/endorse_closed.html", {"petition": petition}, status=409)
    form = EndorsementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        verdict = abuse.screen_endorsement(request)
        if verdict is abuse.Verdict.SUSPECTED:
            # A filled honeypot or a form sent too fast: no person did that. Staff review every
            # endorsement anyway, so nothing is recorded; the same redirect tells the script
            # nothing.
            return _redirect_with_sent_to(
                request, "petitions:endorse-check-email", petition.slug, form.cleaned_data["email"]
            )
        if verdict is abuse.Verdict.STALE:
            form.add_error(None, STALE_FORM_MESSAGE)
        else:
            data = {**form.cleaned_data}
            data.pop("is_authorised")
            endorsement = Endorsement.objects.endorse(
                petition=petition, language=_language(request), **data
            )
            if endorsement is not None:
                transaction.on_commit(
                    partial(tasks.send_endorsement_confirmation_mail.enqueue, endorsement.pk)
                )
            return _redirect_with_sent_to(
                request, "petitions:endorse-check-email", petition.slug, data["email"]
            )
    status = 400 if form.is_bound else 200
    context = {"petition": petition, "form": form, "guard": FormGuard()}
    return render(request, "petitions/endorsement_form.html", context, status=status)


@require_safe
@cache_control(private=True, no_store=True)
def endorse_check_email(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _visible_petition(slug)
    context = {
        "petition": petition,
        "sent_to": _sent_to(request),
        "form_url": reverse("petitions:endorse", kwargs={"slug": petition.slug}),
    }
    return render(request, "petitions/endorsement_check_email.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_endorsement(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a Confirm button and changes nothing; POST sends it on to staff review."""
    endorsement_id = _link_target(
        request,
        token,
        emails.ENDORSEMENT_CONFIRM_SALT,
        settings.CONFIRMATION_LINK_MAX_AGE_DAYS * DAY,
        endorsement=True,
    )
    if isinstance(endorsement_id, HttpResponse):
        return endorsement_id
    endorsement = (
        Endorsement.objects.select_related("petition", "organisation")
        .filter(
            pk=endorsement_id,
            petition__status__in=[Petition.Status.OPEN, Petition.Status.CLOSED],
        )
        .first()
    )
    if endorsement is None:
        return _invalid_link(request, "gone", 404, endorsement=True)
    if (
        endorsement.status == Endorsement.Status.PENDING
        and not endorsement.petition.accepts_signatures
    ):
        return _invalid_link(request, "closed", 410, endorsement=True)
    if request.method == "POST":
        endorsement.confirm()
        return redirect("petitions:endorsement-confirmed", slug=endorsement.petition.slug)
    return render(request, "petitions/endorsement_confirm.html", {"endorsement": endorsement})


@require_safe
def endorsement_confirmed(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _visible_petition(slug)
    return render(request, "petitions/endorsement_confirmed.html", {"petition": petition})


@require_safe
def endorsement_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every approved endorsing organisation, grouped by country: two queries."""
    petition = _visible_petition(slug)
    endorsements = list(Endorsement.objects.public_list(petition))
    context = {
        "petition": petition,
        "endorsements_by_country": _by_country(endorsements),
        "endorsement_total": len(endorsements),
    }
    return render(request, "petitions/endorsement_list.html", context)
