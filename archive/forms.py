from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Statement, Topic

ANY = [("", _("Any"))]


class StatementFilterForm(forms.Form):
    """
    The archive's search box and filters, read from the query string.

    Choices come from the published statements themselves, so a filter never offers a value
    with no result. A value that is not a choice (`?year=abc`, an SQL fragment) only makes that
    field invalid: the view drops it and filters by the others.
    """

    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    publisher = forms.ChoiceField(label=_("Publisher"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + Statement.Kind.choices)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + Statement.Language.choices
    )

    def __init__(self, *args: object, statements: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        years = statements.dates("published_on", "year", order="DESC")
        self.fields["year"].choices = ANY + [(str(day.year), str(day.year)) for day in years]
        publishers = statements.order_by("publisher").values_list("publisher", flat=True)
        self.fields["publisher"].choices = ANY + [(name, name) for name in publishers.distinct()]
        topics = Topic.objects.filter(statement__in=statements).distinct()
        self.fields["topic"].choices = ANY + sorted(
            ((topic.slug, topic.name) for topic in topics), key=lambda choice: choice[1]
        )

    def filter(self, statements: QuerySet) -> QuerySet:
        """Narrow `statements` by every field that holds a valid value, ignoring the others."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("year"):
            statements = statements.filter(published_on__year=values["year"])
        if values.get("publisher"):
            statements = statements.filter(publisher=values["publisher"])
        if values.get("kind"):
            statements = statements.filter(kind=values["kind"])
        if values.get("topic"):
            statements = statements.filter(topics__slug=values["topic"])
        if values.get("language"):
            statements = statements.filter(language=values["language"])
        return statements
