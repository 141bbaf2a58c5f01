"""
Bulk invalidation: staff reject, in one go, the signatures a spam run left behind, chosen by
email domain, time window, network or petition (any combination, at least one condition).

Signatures store their network (IPv4 /24, IPv6 /48), never an address, so a CIDR is matched by
the /24s or /48s it covers: a narrower one cannot be told apart, and a much broader one would
reach far beyond a spam run (and list thousands of networks), so both are refused.
"""

import ipaddress

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .client_address import SIGNATURE_NETWORK_PREFIX
from .models import Petition, Signature

# The broadest network accepted: 256 stored networks at most.
BROADEST_PREFIX = {4: 16, 6: 40}


class BulkInvalidationForm(forms.Form):
    petition = forms.ModelChoiceField(
        label=_("Petition"), queryset=Petition.objects.all(), required=False
    )
    email_domain = forms.CharField(
        label=_("Email domain"),
        required=False,
        max_length=253,
        help_text=_("For example spam.example: addresses at exactly this domain."),
    )
    signed_from = forms.DateTimeField(
        label=_("Signed from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    signed_until = forms.DateTimeField(
        label=_("Signed before"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    network = forms.CharField(
        label=_("Network"),
        required=False,
        max_length=49,
        help_text=_(
            "In CIDR notation, for example 203.0.113.0/24 or 2001:db8::/48. Signatures keep "
            "only their /24 (IPv4) or /48 (IPv6) network."
        ),
    )

    def clean_email_domain(self) -> str:
        domain = self.cleaned_data["email_domain"].strip().lower().removeprefix("@")
        if domain and ("@" in domain or "." not in domain or " " in domain):
            raise forms.ValidationError(_("Enter a domain such as spam.example."))
        return domain

    def clean_network(self) -> list[str]:
        """The stored networks (strings) the CIDR covers."""
        value = self.cleaned_data["network"].strip()
        if not value:
            return []
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a network such as 203.0.113.0/24 or 2001:db8::/48.")
            ) from None
        stored = SIGNATURE_NETWORK_PREFIX[network.version]
        broadest = BROADEST_PREFIX[network.version]
        if network.prefixlen > stored:
            raise forms.ValidationError(
                _("Signatures keep only their /%(prefix)d network: give at most /%(prefix)d.")
                % {"prefix": stored}
            )
        if network.prefixlen < broadest:
            raise forms.ValidationError(
                _("That network is too broad: give at least /%(prefix)d.") % {"prefix": broadest}
            )
        return [str(subnet) for subnet in network.subnets(new_prefix=stored)]

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(
            data.get(name)
            for name in ("petition", "email_domain", "signed_from", "signed_until", "network")
        ):
            raise forms.ValidationError(
                _("Give at least one condition: a petition alone, or a domain, time or network.")
            )
        start, end = data.get("signed_from"), data.get("signed_until")
        if start and end and start >= end:
            raise forms.ValidationError(_("The window must end after it starts."))
        return data

    def conditions(self) -> dict:
        """The conditions as text, for the admin history and the preview."""
        data = self.cleaned_data
        return {
            "petition": data["petition"].slug if data.get("petition") else "",
            "email_domain": data["email_domain"],
            "signed_from": data["signed_from"].isoformat() if data.get("signed_from") else "",
            "signed_until": data["signed_until"].isoformat() if data.get("signed_until") else "",
            "network": self.data.get("network", "").strip(),
        }

    def matching(self) -> QuerySet:
        """The signatures it would reject: any not rejected or withdrawn already."""
        data = self.cleaned_data
        condition = Q()
        if data.get("petition"):
            condition &= Q(petition=data["petition"])
        if data["email_domain"]:
            # The canonical key is lower-case local@domain, so the domain is compared exactly.
            condition &= Q(email_key__endswith=f"@{data['email_domain']}")
        if data.get("signed_from"):
            condition &= Q(created_at__gte=data["signed_from"])
        if data.get("signed_until"):
            condition &= Q(created_at__lt=data["signed_until"])
        if data["network"]:
            condition &= Q(network__in=data["network"])
        return Signature.objects.filter(condition).exclude(
            status__in=[Signature.Status.REJECTED, Signature.Status.WITHDRAWN]
        )
