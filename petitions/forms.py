import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse_lazy
from django.utils.choices import BlankChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from .country_choices import CountryChoices
from .email_keys import EMAIL_MAX_LENGTH, validate_storable_email
from .form_stamp import FIELD_NAME as STAMP_FIELD_NAME
from .form_stamp import new_form_stamp
from .models import (
    FULL_NAME_MAX_LENGTH,
    ORGANISATION_NAME_MAX_LENGTH,
    STATEMENT_OF_SUPPORT_MAX_LENGTH,
    Endorsement,
    Signature,
)
from .organisation_names import validate_matchable_name

# Unicode categories no person types on purpose: control characters (NUL, escape, …), format
# characters (zero-width spaces and joiners, bidi overrides that make text read backwards),
# surrogates, private-use and unassigned code points, and the line/paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

# A web address in a name: a scheme, "www.", or something shaped like a domain ("x.com").
URL_IN_NAME = re.compile(r"(?i)(\w+://|www\.|[\w-]\.[a-z]{2,}\b)")

# Spreadsheets read a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """
    NFC-normalise text and refuse invisible or control characters.

    A comment may hold ordinary line breaks (normalised to "\\n"); nothing else in Cc/Cf may
    reach the database, where it could hide text from a moderator or break an export.
    """
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    for character in value:
        if multiline and character == "\n":
            continue
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            raise ValidationError(
                _(
                    "This contains an invisible or control character (%(code)s). "
                    "Please type the text again without it."
                ),
                code="invisible_character",
                params={"code": f"U+{ord(character):04X}"},
            )
    return value.strip()


def clean_name(value: str, *, max_length: int) -> str:
    """A one-line name: clean text, single spaces, no spreadsheet formula, not too long."""
    name = " ".join(clean_text(value).split())
    if not name:
        raise ValidationError(_("Please enter a name."), code="required")
    if len(name) > max_length:
        raise ValidationError(
            _("Please keep the name to %(limit)d characters."),
            code="max_length",
            params={"limit": max_length},
        )
    if name.startswith(FORMULA_PREFIXES):
        raise ValidationError(_("A name cannot start with =, +, - or @."), code="formula_prefix")
    return name


def clean_person_name(value: str) -> str:
    """A person's name, as `clean_name`, and without a web address in it (a spam signature)."""
    name = clean_name(value, max_length=FULL_NAME_MAX_LENGTH)
    if URL_IN_NAME.search(name):
        raise ValidationError(
            _("Please enter just your name, without a web address."), code="url_in_name"
        )
    return name


def clean_organisation_name(value: str) -> str:
    """An organisation's name, as `clean_name`, whose match key is neither empty nor too long."""
    name = clean_name(value, max_length=ORGANISATION_NAME_MAX_LENGTH)
    validate_matchable_name(name)
    return name


def clean_email_address(value: str) -> str:
    """An address as it is stored (NFC-normalised), checked again in that form: NFC can
    lengthen it, and its key (IDNA, case-folding) can be longer still."""
    address = clean_text(value)
    validate_storable_email(address)
    return address


# What the name field says beside it: who receives the name, and that it need not be the
# signer's legal name (the privacy notice warns that signing may put family at risk). A later
# "count me only" choice will change these words for a signer who takes it; the country's
# help says the same of the country.
NAME_HELP = _(
    "We deliver this name, on the list of signers, to %(target)s. Initials or a name you choose "
    "are accepted, for example if your own name could put you or your family at risk."
)
NAME_HELP_WITHOUT_TARGET = _(
    "We deliver this name, on the list of signers, to the petition's target. Initials or a name "
    "you choose are accepted, for example if your own name could put you or your family at risk."
)


class SignatureForm(forms.ModelForm):
    """
    The sign form. It only validates and normalises: the view records the signature.
    `target` is whom the petition is addressed to, named in the name field's help.
    """

    class Meta:
        model = Signature
        fields = [
            "full_name",
            "email",
            "country",
            "comment",
            "show_name_publicly",
            "wants_updates",
        ]
        labels = {
            "full_name": _("Full name"),
            "email": _("Email address"),
            "country": _("Country or region"),
            "comment": _("Comment (optional)"),
            "show_name_publicly": _("Show my name on this petition's page"),
            "wants_updates": _("Email me news about this campaign"),
        }
        help_texts = {
            # Replaced in __init__ by the same words naming this petition's target.
            "full_name": NAME_HELP_WITHOUT_TARGET,
            "email": _(
                "We send you a link to confirm your signature. Your email address is never "
                "shown publicly."
            ),
            "country": _(
                "Sent with your name on the delivered list. On this site it only adds to a "
                "public count of signers per country or region."
            ),
            "comment": _(
                "Up to 1,000 characters. Staff read every comment before any is published."
            ),
            "show_name_publicly": _(
                "If you tick this, your name, country and date of signing appear in the list "
                "of signers on this page. If not, you are counted but your name stays private."
            ),
            "wants_updates": _(
                "If you tick this, we may write to you about this campaign. You can stop it at "
                "any time from any mail we send. If not, we only send you the confirmation mail."
            ),
        }
        error_messages = {
            "full_name": {
                "required": _("Please enter your name."),
                "max_length": _(
                    "Please keep your name to %(limit_value)d characters (it has %(show_value)d)."
                ),
            },
            "email": {
                "required": _("Please enter your email address."),
                "invalid": _("Please enter a valid email address, like name@example.org."),
                "max_length": _(
                    "An email address has at most %(limit_value)d characters "
                    "(this one has %(show_value)d)."
                ),
            },
            "country": {
                "required": _("Please choose your country or region."),
                "invalid_choice": _("Please choose a country or region from the list."),
            },
            "comment": {
                "max_length": _(
                    "Please keep your comment to %(limit_value)d characters "
                    "(it has %(show_value)d)."
                ),
            },
        }
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, target: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if target:
            self.fields["full_name"].help_text = NAME_HELP % {"target": target}
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        self.fields["country"].choices = CountryChoices(_("Choose a country or region"))
        # The browser's own length limit would silently cut pasted text; the server's error
        # message says what is wrong instead.
        for name in ("full_name", "email", "comment"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        # A code is looked up in the country table: the choice field would walk all 250 names,
        # sorted in the visitor's language, on every submission (with the model's check below,
        # a sixth of the sign request's time in the bench's profile).
        self.fields["country"].valid_value = lambda code: str(code) in countries

    def add_proof_of_work(self) -> None:
        """Ask for the proof-of-work check: staff switched it on for a petition under attack."""
        self.fields["altcha"] = proof_of_work_field()

    def _get_validation_exclusions(self) -> set[str]:
        # The model field would check the country against the same 250 choices once more.
        return {*super()._get_validation_exclusions(), "country"}

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data.get("comment", ""), multiline=True)


class WebsiteField(forms.URLField):
    """An http or https address only: never javascript:, data:, ftp: or the like."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": _("Please enter a web address starting with https:// or http://."),
    }

    def __init__(self, **kwargs: object) -> None:
        super().__init__(assume_scheme="https", **kwargs)


class EndorsementForm(forms.Form):
    """The endorse form. It only validates and normalises: the view records the endorsement."""

    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        help_text=_("As it should appear in the list of endorsing organisations."),
        error_messages={"required": _("Please enter the organisation's name.")},
    )
    country = LazyTypedChoiceField(
        label=_("Country or region"),
        choices=CountryChoices(_("International / several countries")),
        required=False,
        help_text=_("Where the organisation is based. The public list is grouped by country."),
    )
    website = WebsiteField(
        label=_("Website (optional)"),
        required=False,
        help_text=_("Linked from the public list."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=BlankChoiceIterator(Endorsement.Kind.choices, [("", "—")]),
        error_messages={"required": _("Please choose the kind of organisation.")},
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        help_text=_("The person we write to. Never shown publicly."),
        error_messages={"required": _("Please enter your name.")},
    )
    contact_role = forms.CharField(
        label=_("Your role in the organisation"),
        help_text=_("For example: director, secretary, board member. Never shown publicly."),
        error_messages={"required": _("Please enter your role in the organisation.")},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_(
            "We send you a link to confirm the endorsement, and tell you when staff have "
            "reviewed it. Never shown publicly. An address at the organisation's own domain "
            "helps us check the endorsement."
        ),
        error_messages={
            "required": _("Please enter your email address."),
            "invalid": _("Please enter a valid email address, like name@example.org."),
        },
    )
    statement = forms.CharField(
        label=_("Statement of support (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 500 characters. Staff read it before it is published."),
    )
    is_authorised = forms.BooleanField(
        label=_("I am authorised to endorse this petition on behalf of this organisation"),
        error_messages={
            "required": _("Please confirm that you may endorse on behalf of the organisation.")
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_role"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def clean_organisation_name(self) -> str:
        return clean_organisation_name(self.cleaned_data["organisation_name"])

    def clean_contact_name(self) -> str:
        return clean_person_name(self.cleaned_data["contact_name"])

    def clean_contact_role(self) -> str:
        return clean_name(self.cleaned_data["contact_role"], max_length=120)

    def clean_email(self) -> str:
        return clean_email_address(self.cleaned_data["email"])

    def clean_website(self) -> str:
        website = clean_text(self.cleaned_data.get("website", ""))
        if len(website) > 300:
            raise ValidationError(
                _("Please keep the web address to %(limit)d characters."),
                code="max_length",
                params={"limit": 300},
            )
        return website

    def clean_statement(self) -> str:
        statement = clean_text(self.cleaned_data.get("statement", ""), multiline=True)
        if len(statement) > STATEMENT_OF_SUPPORT_MAX_LENGTH:
            raise ValidationError(
                _("Please keep the statement to %(limit)d characters (it has %(count)d)."),
                code="max_length",
                params={"limit": STATEMENT_OF_SUPPORT_MAX_LENGTH, "count": len(statement)},
            )
        return statement


class FormGuard(forms.Form):
    """
    The anti-automation fields that ride along with the sign and endorse forms (see
    petitions/abuse.py): a honeypot people never see and leave empty, and the signed time the
    form was rendered. Rendered inside an aria-hidden, visually hidden box; never shown to a
    person, so it has no errors of its own: the view reads what it says.
    """

    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # A new stamp for every unbound render (a re-render after an error included).
            self.initial[STAMP_FIELD_NAME] = new_form_stamp()

    @property
    def honeypot(self) -> str:
        return self.data.get("homepage", "")

    @property
    def stamp(self) -> str:
        return self.data.get(STAMP_FIELD_NAME, "")


class ErasureRequestForm(forms.Form):
    """Staff: the address of a person who asked us to erase their data."""

    email = forms.EmailField(
        label=_("The person's email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_(
            "Any spelling of the address finds it (case, dots and +tags in Gmail addresses are "
            "ignored). It is used for this search only and is not recorded."
        ),
    )


PROOF_OF_WORK_REFUSED = _(
    "This petition is receiving a flood of automated signatures, so signing it needs a short "
    "check that your browser does by itself. Please turn on JavaScript, wait until the check "
    "says it is done, and sign again."
)


def proof_of_work_field() -> AltchaField:
    """
    The self-hosted proof-of-work widget (django-altcha): the browser fetches a challenge from
    us, solves it in a few hundred milliseconds and sends the solution with the form; the
    server verifies it, and each solution works once. It starts by itself when the page loads.
    Without JavaScript it cannot be solved: the form then says why it was not accepted.
    """
    strings = {
        "label": str(_("Automatic check that you are a person")),
        "verifying": str(_("Checking…")),
        "verified": str(_("Checked")),
        "waitAlert": str(_("Checking… please wait.")),
        "error": str(_("The check failed. Please try again.")),
        "expired": str(_("The check expired. Please try again.")),
        "verificationRequired": str(_("Please wait until the check is done.")),
    }
    return AltchaField(
        label="",
        challengeurl=reverse_lazy("petitions:proof-of-work-challenge"),
        auto="onload",
        hidelogo=True,
        hidefooter=True,
        strings=strings,
        error_messages={
            key: PROOF_OF_WORK_REFUSED for key in ("required", "invalid", "error", "replay")
        },
    )
