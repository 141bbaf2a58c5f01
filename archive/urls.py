from django.urls import path

from . import views
from .feeds import StatementFeed

app_name = "archive"

urlpatterns = [
    path("", views.statement_list, name="statement-list"),
    # Not a slug (it has a dot), so no statement can ever shadow the feed.
    path("feed.atom", StatementFeed(), name="feed"),
    path("<slug:slug>/", views.statement_detail, name="statement-detail"),
]
