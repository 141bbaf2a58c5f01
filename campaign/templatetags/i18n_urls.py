from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import override

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language_code: str) -> str:
    """
    The current page's address in another language, rebuilt from the route the request matched,
    never from the requested path: a path such as `//evil.example/…` would otherwise become a
    link to another site. No query string either: a cached page is shared by every visitor
    (campaign/page_cache.py), so one visitor's `?utm=…` must not reach the others' links.
    Without a route (a 404 for an unknown path), each language's home page.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    with override(language_code):
        if match is not None:
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
        return reverse("home")


@register.simple_tag(takes_context=True)
def choose_language_url(context: template.Context, language_code: str) -> str:
    """
    The language switcher's link: through choose_language, which remembers the visitor's choice
    for `/` and goes on to url_in_language's address. The `<link rel="alternate">` tags keep
    the direct address, for search engines.
    """
    return reverse("choose-language") + url_in_language(context, language_code).lstrip("/")
