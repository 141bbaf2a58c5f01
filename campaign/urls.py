from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from archive.sitemaps import SITEMAPS

from . import views

# Outside the language prefix: machine endpoints and the staff admin.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", views.csp_report, name="csp-report"),
    path("admin/", admin.site.urls),
    # The language switcher's links: remember the choice, then go on to the page.
    path("choose-language/", views.choose_language, name="choose-language"),
    path("choose-language/<path:target>", views.choose_language, name="choose-language"),
    # One sitemap for every language: each entry lists its /zh-hant/ and /zh-hans/ alternates.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# Public pages: English at /, Chinese under /zh-hant/ and /zh-hans/. The language lives in the
# URL, never only in a cookie, so every public page can be cached and linked per language.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("petitions/", include("petitions.urls")),
    path("archive/", include("archive.urls")),
    prefix_default_language=False,
)
