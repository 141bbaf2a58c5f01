"""
Admin changelists answer only the lookups they offer.

Django's changelist turns any query-string parameter naming a field into a filter:
`?email__regex=^a` or `?email_key=…` on the signature list let a moderator, who is shown only
j•••@example.org, read every signer's address one guess at a time. A changelist with this mixin
accepts its own list filters' parameters (and the date hierarchy's) and the admin's own controls
(search, ordering, paging, popups); any other parameter is a 400 (SuspiciousOperation), like a
relational lookup Django itself refuses.

Searching personal fields (a name, a contact, an exact address) is kept for staff who may export
the list anyway (`personal_data_permission`); others search only the rest of `search_fields`.
The staff site applies the mixin to every ModelAdmin it registers, so no admin can forget it.
"""

from functools import cache

from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest


class OfferedLookupsChangeList(ChangeList):
    def get_filters(self, request: HttpRequest) -> tuple:
        filter_specs, has_filters, remaining, may_have_duplicates, has_active = (
            super().get_filters(request)
        )
        # Each list filter (and the date hierarchy) has taken its own parameters: what is left
        # was never offered, except the bounds the date hierarchy itself puts in their place.
        unoffered = set(remaining) - self._date_hierarchy_bounds()
        if unoffered:
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(sorted(unoffered))}")
        return filter_specs, has_filters, remaining, may_have_duplicates, has_active

    def _date_hierarchy_bounds(self) -> set[str]:
        if self.date_hierarchy and f"{self.date_hierarchy}__year" in self.filter_params:
            return {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        return set()


@cache
def _offering_only_its_lookups(changelist: type[ChangeList]) -> type[ChangeList]:
    if issubclass(changelist, OfferedLookupsChangeList):
        return changelist
    return type(changelist.__name__, (OfferedLookupsChangeList, changelist), {})


class OfferedLookupsOnly:
    """ModelAdmin mixin: the changelist above, and personal fields searched only by exporters."""

    # Fields (the first part of a search_fields path) that hold a person's data.
    personal_fields: frozenset[str] = frozenset()
    # Who may search them: those who may export the list, and so read them all anyway.
    personal_data_permission: str | None = None
    # The search box's hint for everyone else, when search_help_text names personal fields.
    search_help_text_without_personal_data: str | None = None

    def get_changelist(self, request: HttpRequest, **kwargs: object) -> type[ChangeList]:
        return _offering_only_its_lookups(super().get_changelist(request, **kwargs))

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        changelist = super().get_changelist_instance(request)
        if self.search_help_text_without_personal_data and not self.may_search_personal_data(
            request
        ):
            changelist.search_help_text = self.search_help_text_without_personal_data
        return changelist

    def may_search_personal_data(self, request: HttpRequest) -> bool:
        return bool(
            self.personal_data_permission and request.user.has_perm(self.personal_data_permission)
        )

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        search_fields = list(super().get_search_fields(request))
        if self.may_search_personal_data(request):
            return search_fields
        return [
            path
            for path in search_fields
            if path.lstrip("^=@").split("__")[0] not in self.personal_fields
        ]


def offering_only_its_lookups(admin_class: type) -> type:
    """`admin_class` with the mixin (itself when it has it already)."""
    if issubclass(admin_class, OfferedLookupsOnly):
        return admin_class
    return type(
        admin_class.__name__,
        (OfferedLookupsOnly, admin_class),
        {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
    )
