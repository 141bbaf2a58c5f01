"""
Mail to signers: the confirmation mail, in the signer's language, with absolute links built
from `settings.SITE_URL` (never from a request's Host header, which a client can forge).
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .models import Signature

# One salt per purpose: a confirmation token cannot be replayed as a withdrawal token.
CONFIRM_SALT = "petitions.signature.confirm"
WITHDRAW_SALT = "petitions.signature.withdraw"


def make_token(signature: Signature, salt: str) -> str:
    """A signed, timestamped token carrying only the signature's id: no personal data."""
    return signing.dumps(signature.pk, salt=salt)


def read_token(token: str, salt: str, max_age_seconds: int | None) -> int:
    """The signature id in a token. Raises signing.SignatureExpired or signing.BadSignature."""
    value = signing.loads(token, salt=salt, max_age=max_age_seconds)
    if not isinstance(value, int):
        raise signing.BadSignature("Not a signature id.")
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
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # no newline may reach a header
        body=text,
        to=[signature.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_confirmation(signature: Signature) -> None:
    build_confirmation(signature).send()
