from django.urls import path

from . import views
from .abuse import PROOF_OF_WORK_MAX_NUMBER

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="petition-list"),
    path(
        "proof-of-work/challenge/",
        views.ProofOfWorkChallengeView.as_view(max_number=PROOF_OF_WORK_MAX_NUMBER),
        name="proof-of-work-challenge",
    ),
    path("confirm/<str:token>/", views.confirm_signature, name="confirm-signature"),
    path("withdraw/<str:token>/", views.withdraw_signature, name="withdraw-signature"),
    path(
        "endorsement/confirm/<str:token>/",
        views.confirm_endorsement,
        name="confirm-endorsement",
    ),
    path("<slug:slug>/", views.petition_detail, name="petition-detail"),
    path("<slug:slug>/sign/", views.sign, name="sign"),
    path("<slug:slug>/check-your-email/", views.check_email, name="check-email"),
    path("<slug:slug>/thank-you/", views.thank_you, name="thank-you"),
    path("<slug:slug>/print/", views.petition_sheet, name="petition-sheet"),
    path("<slug:slug>/share-image.png", views.share_image, name="share-image"),
    path("<slug:slug>/withdrawn/", views.withdrawn, name="withdrawn"),
    path("<slug:slug>/endorse/", views.endorse, name="endorse"),
    path(
        "<slug:slug>/endorse/check-your-email/",
        views.endorse_check_email,
        name="endorse-check-email",
    ),
    path(
        "<slug:slug>/endorse/confirmed/", views.endorsement_confirmed, name="endorsement-confirmed"
    ),
    path("<slug:slug>/endorsements/", views.endorsement_list, name="endorsement-list"),
    path("<slug:slug>/count.json", views.petition_count, name="petition-count"),
]
