from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.statement_list, name="statement-list"),
    path("<slug:slug>/", views.statement_detail, name="statement-detail"),
]
