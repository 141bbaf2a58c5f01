from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from .forms import StatementFilterForm
from .models import CountryGroup, Signatories, Statement, Topic
from .search import clean_query, matching_topics, search

STATEMENTS_PER_PAGE = 20
# A statement page lists this many signatories, then "Show all" (`?signatories=all`): one
# statement has 121, a 7,000 px column on a phone.
SIGNATORIES_SHOWN_FIRST = 20


def statement_list(request: HttpRequest) -> HttpResponse:
    published = Statement.objects.published()
    # PostgreSQL refuses NUL in a string ("%00" in a query string), so it never reaches a form.
    data = {key: value.replace("\x00", "") for key, value in request.GET.items()}
    form = StatementFilterForm(data, statements=published)
    statements = form.filter(published)
    query = clean_query(data.get("q", ""))
    statements = search(statements, query)
    # One item per statement, its language versions together: the list pages through
    # statements, and shows each in the reader's language where it exists.
    ranked = bool(query) and "rank" in statements.query.annotations
    # get_page() turns junk such as ?page=abc or ?page=999999999999 into a valid page.
    page = Paginator(statements.groups(ranked=ranked), STATEMENTS_PER_PAGE).get_page(
        data.get("page")
    )
    items = published.items(
        [group["root"] for group in page.object_list],
        reader=get_language(),
        matched=statements if (query or form.changed_data) else None,
    )
    context = {
        "form": form,
        "page": page,
        "items": items,
        "query": query,
        "is_filtered": bool(form.changed_data),
    }
    if query:
        matched = matching_topics(query).filter(statement__in=published)
        context["matched_topics"] = matched.distinct()
        # Which languages (and so which Chinese script) the results are written in.
        counts = statements.order_by().values("language")
        counts = counts.annotate(count=Count("pk", distinct=True))
        labels = dict(Statement.Language.choices)
        context["result_languages"] = [
            (labels.get(row["language"], row["language"]), row["count"])
            for row in counts.order_by("language")
        ]
        if not page.object_list:
            context["suggested_topics"] = Topic.objects.filter(statement__in=published).distinct()
    return render(request, "archive/statement_list.html", context)


def statement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Staff may preview a draft at its own address ("View on site"); the public gets a 404.
    statement = get_object_or_404(
        Statement.objects.visible_to(request.user).prefetch_related("topics"), slug=slug
    )
    signatories = statement.signatories_by_country()
    shows_all = (
        request.GET.get("signatories") == "all" or signatories.count <= SIGNATORIES_SHOWN_FIRST
    )
    shown = _first_signatories(signatories, None if shows_all else SIGNATORIES_SHOWN_FIRST)
    context = {
        "statement": statement,
        "other_versions": statement.other_versions(request.user),
        "signatories": signatories,
        "signatory_count": signatories.count,
        "shown_signatories": shown,
        # The index links the countries on the page to their heading, the others to the list
        # with every signatory.
        "shown_codes": {group.code for group in shown.by_country},
        "shows_all_signatories": shows_all,
        "petition": statement.public_petition(),
    }
    return render(request, "archive/statement_detail.html", context)


def _first_signatories(signatories: Signatories, limit: int | None) -> Signatories:
    """The first `limit` signatories in list order (all if None), grouped as before."""
    if limit is None:
        return signatories
    shown = []
    for group in signatories.by_country:
        if limit <= 0:
            break
        shown.append(
            CountryGroup(group.code, group.name, group.organisations[:limit], group.count)
        )
        limit -= len(shown[-1].organisations)
    return Signatories(by_country=shown, country_not_stated=signatories.country_not_stated[:limit])
