"""
Mail to signers and to endorsing organisations' contacts, in the recipient's language, with
absolute links built from `settings.SITE_URL` (never from a request's Host header, which a
client can forge).
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .models import Endorsement, Signature

# One salt per purpose: a confirmation token cannot be replayed as a withdrawal token.
CONFIRM_SALT = "petitions.signature.confirm"
WITHDRAW_SALT = "petitions.signature.withdraw"
ENDORSEMENT_CONFIRM_SALT = "petitions.endorsement.confirm"


def make_token(record: models.Model, salt: str) -> str:
    """A signed, timestamped token carrying only a row's id (signature, endorsement)."""
    return signing.dumps(record.pk, salt=salt)


def read_token(token: str, salt: str, max_age_seconds: int | None) -> int:
    """The signature id in a token. Raises signing.SignatureExpired or signing.BadSignature."""
    value = signing.loads(token, salt=salt, max_age=max_age_seconds)
    # Only an id the id column can hold. `True` is an int to Python but a boolean to PostgreSQL
    # (the confirmation's raw SQL then fails), and a number beyond bigint matches no row anyway.
    if type(value) is not int or not 0 < value < 2**63:
        raise signing.BadSignature("Not a row id.")
    return value


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirmation_links(signature: Signature) -> dict[str, str]:
    """The confirm and withdraw links, in the signer's language."""
    with translation.override(signature.language):
        return {
            "confirm_url": absolute_url(
                reverse(
                    "petitions:confirm-signature",
                    kwargs={"token": make_token(signature, CONFIRM_SALT)},
                )
            ),
            "withdraw_url": absolute_url(
                reverse(
                    "petitions:withdraw-signature",
                    kwargs={"token": make_token(signature, WITHDRAW_SALT)},
                )
            ),
            "petition_url": absolute_url(signature.petition.get_absolute_url()),
        }


def build_confirmation(signature: Signature) -> EmailMultiAlternatives:
    """The confirmation mail, plain text and HTML, in the language the signer signed in."""
    with translation.override(signature.language):
        context = {
            "signature": signature,
            "petition": signature.petition,
            "max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS,
            **confirmation_links(signature),
        }
        subject = gettext("Please confirm your signature: %(title)s") % {
            "title": signature.petition.title
        }
        text = render_to_string("emails/confirm_signature.txt", context)
        html = render_to_string("emails/confirm_signature.html", context)
    return _mail(subject, text, signature.email, html=html)


def send_confirmation(signature: Signature, connection: object = None) -> None:
    """Send the confirmation mail, over `connection` if given (one for many mails)."""
    message = build_confirmation(signature)
    message.connection = connection
    message.send()


def build_already_signed(signature: Signature) -> EmailMultiAlternatives:
    """
    The mail to a confirmed signer who signed again: they have signed already, here is the
    petition to share, and their withdraw link. In the language they signed in.
    """
    with translation.override(signature.language):
        links = confirmation_links(signature)
        context = {
            "signature": signature,
            "petition": signature.petition,
            "petition_url": links["petition_url"],
            "withdraw_url": links["withdraw_url"],
        }
        subject = gettext("You have already signed: %(title)s") % {
            "title": signature.petition.title
        }
        text = render_to_string("emails/already_signed.txt", context)
        html = render_to_string("emails/already_signed.html", context)
    return _mail(subject, text, signature.email, html=html)


def send_already_signed(signature: Signature, connection: object = None) -> None:
    """Send the "already signed" mail, over `connection` if given (one for many mails)."""
    message = build_already_signed(signature)
    message.connection = connection
    message.send()


def _mail(subject: str, body: str, to: str, html: str = "") -> EmailMultiAlternatives:
    """A mail to one address, with an HTML part when given."""
    # No newline may reach a header.
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    return message


def build_endorsement_confirmation(endorsement: Endorsement) -> EmailMultiAlternatives:
    """The mail asking an organisation's contact to confirm, in the language they wrote in."""
    with translation.override(endorsement.language):
        path = reverse(
            "petitions:confirm-endorsement",
            kwargs={"token": make_token(endorsement, ENDORSEMENT_CONFIRM_SALT)},
        )
        context = {
            "endorsement": endorsement,
            "petition": endorsement.petition,
            "organisation": endorsement.organisation,
            "confirm_url": absolute_url(path),
            "petition_url": absolute_url(endorsement.petition.get_absolute_url()),
            "max_age_days": settings.CONFIRMATION_LINK_MAX_AGE_DAYS,
        }
        subject = gettext("Please confirm your organisation's endorsement: %(title)s") % {
            "title": endorsement.petition.title
        }
        body = render_to_string("emails/confirm_endorsement.txt", context)
    return _mail(subject, body, endorsement.email)


def build_endorsement_decision(endorsement: Endorsement) -> EmailMultiAlternatives:
    """Staff approved or rejected the endorsement: tell the contact, in their language."""
    with translation.override(endorsement.language):
        context = {
            "endorsement": endorsement,
            "petition": endorsement.petition,
            "organisation": endorsement.organisation,
            "petition_url": absolute_url(endorsement.petition.get_absolute_url()),
        }
        if endorsement.status == Endorsement.Status.APPROVED:
            subject = gettext("Your organisation's endorsement is published: %(title)s")
            template = "emails/endorsement_approved.txt"
        else:
            subject = gettext("Your organisation's endorsement was not published: %(title)s")
            template = "emails/endorsement_rejected.txt"
        subject %= {"title": endorsement.petition.title}
        body = render_to_string(template, context)
    return _mail(subject, body, endorsement.email)
