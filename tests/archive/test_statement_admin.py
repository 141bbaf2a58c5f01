import pytest
from django.db import IntegrityError, transaction

from archive.models import Statement, StatementSignatory
from petitions.models import Organisation

from .conftest import COALITION_EN, COALITION_ZH, TIBET_NETWORK, make_statement

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/archive/statement/"


def test_statement_changelist_loads_and_filters(admin_client, seeds):
    everything = admin_client.get(CHANGELIST)
    chinese = admin_client.get(CHANGELIST, {"language__exact": "zh-hant"})

    assert everything.status_code == 200
    assert "International Tibet Network" in everything.content.decode()
    assert list(chinese.context["cl"].queryset) == [seeds[COALITION_ZH]]


def test_statement_change_page_shows_signatories_and_translations(admin_client, seeds):
    response = admin_client.get(f"{CHANGELIST}{seeds[COALITION_EN].pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Remember June Fourth" in html
    assert "六四32週年聯合聲明" in html  # the translation inline
    assert "View on site" in html


def test_publish_and_unpublish_actions_change_the_selection(admin_client, db):
    draft = make_statement(slug="draft", is_published=False)
    live = make_statement(slug="live")

    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [live.pk]})

    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.is_published
    assert not live.is_published


def test_staff_add_a_translation_with_signatories(admin_client, seeds):
    organisation = Organisation.objects.get(name="Remember June Fourth")
    data = {
        "title": "六四32周年联合声明",
        "slug": "coalition-statement-june-fourth-2021-zh-hans",
        "language": "zh-hans",
        "original": seeds[COALITION_EN].pk,
        "publisher": "Amnesty International UK",
        "published_on": "2021-06-04",
        "kind": "joint-statement",
        "body": "我们声援这些香港人。",
        "signatory_links-TOTAL_FORMS": "1",
        "signatory_links-INITIAL_FORMS": "0",
        "signatory_links-0-position": "1",
        "signatory_links-0-organisation": organisation.pk,
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }

    response = admin_client.post(f"{CHANGELIST}add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    added = Statement.objects.get(slug="coalition-statement-june-fourth-2021-zh-hans")
    assert added.original == seeds[COALITION_EN]
    assert added.ordered_signatories() == [organisation]
    assert not added.is_published  # a draft until published


def test_organisation_autocomplete_finds_signatories_by_name(admin_client, seeds):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Tibetan Community",
            "app_label": "archive",
            "model_name": "statementsignatory",
            "field_name": "organisation",
        },
    )

    assert response.status_code == 200
    names = {result["text"] for result in response.json()["results"]}
    assert "Tibetan Community in Britain" in names


def test_the_database_refuses_an_organisation_listed_twice_under_one_statement(seeds):
    first = StatementSignatory.objects.filter(statement=seeds[TIBET_NETWORK]).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        StatementSignatory.objects.create(
            statement=first.statement, organisation=first.organisation, position=999
        )
