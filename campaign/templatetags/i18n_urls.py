from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context: template.Context, language_code: str) -> str:
    """The current page's address in another language, query string kept."""
    request = context.get("request")
    if request is None:  # the 500 page renders without a request
        return "/" if language_code == "en" else f"/{language_code}/"
    return translate_url(request.get_full_path(), language_code)
