from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="petition-list"),
    path("<slug:slug>/", views.petition_detail, name="petition-detail"),
]
