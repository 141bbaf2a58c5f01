import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import FULL_NAME_MAX_LENGTH, Signature

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


class SignatureForm(forms.ModelForm):
    """The sign form. It only validates and normalises: the view records the signature."""

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
            "full_name": _("Your name as you want it on the petition delivered to its target."),
            "email": _(
                "We send you a link to confirm your signature. Your email address is never "
                "shown publicly."
            ),
            "country": _("Shown only as part of a count of signers per country."),
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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        # The browser's own length limit would silently cut pasted text; the server's error
        # message says what is wrong instead.
        for name in ("full_name", "email", "comment"):
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_full_name(self) -> str:
        name = " ".join(clean_text(self.cleaned_data["full_name"]).split())
        if not name:
            raise ValidationError(_("Please enter your name."), code="required")
        if len(name) > FULL_NAME_MAX_LENGTH:
            raise ValidationError(
                _("Please keep your name to %(limit)d characters."),
                code="max_length",
                params={"limit": FULL_NAME_MAX_LENGTH},
            )
        if name.startswith(FORMULA_PREFIXES):
            raise ValidationError(
                _("A name cannot start with =, +, - or @."), code="formula_prefix"
            )
        if URL_IN_NAME.search(name):
            raise ValidationError(
                _("Please enter just your name, without a web address."), code="url_in_name"
            )
        return name

    def clean_email(self) -> str:
        return clean_text(self.cleaned_data["email"])

    def clean_comment(self) -> str:
        return clean_text(self.cleaned_data.get("comment", ""), multiline=True)
