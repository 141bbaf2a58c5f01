"""Staff's allow and block lists of mail domains and networks (petitions/abuse.py reads them)."""

import ipaddress

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AbuseRule(models.Model):
    """What staff's allow and block lists share (petitions/abuse.py reads them)."""

    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True


class EmailDomainRule(AbuseRule):
    """
    A mail domain staff allow or block. A blocked domain (and every domain in the maintained
    list of disposable mail services, unless allowed here) sets a signature aside as suspected.
    A rule covers the domain's subdomains too.
    """

    domain = models.CharField(_("mail domain"), max_length=253, unique=True)
    is_allowed = models.BooleanField(
        _("allowed"),
        default=False,
        help_text=_("Ticked: allowed even if it is a disposable mail service. Not: blocked."),
    )

    class Meta:
        ordering = ["domain"]
        verbose_name = _("mail domain rule")
        verbose_name_plural = _("mail domain rules")

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().removeprefix("@").rstrip(".")
        if "." not in self.domain or "@" in self.domain or " " in self.domain:
            raise ValidationError({"domain": _("Enter a domain, like example.org.")})


class NetworkRule(AbuseRule):
    """
    A network (CIDR) staff allow or block. It is compared, during the request, with the client's
    address, which is never stored. Blocked: signatures from it are set aside as suspected.
    Allowed: it is exempt from the per-client rate limits (an office or a university where
    many people sign from one address).
    """

    network = models.CharField(
        _("network"), max_length=49, unique=True, help_text=_("For example 203.0.113.0/24.")
    )
    is_allowed = models.BooleanField(
        _("allowed"),
        default=False,
        help_text=_("Ticked: exempt from the rate limits. Not: blocked."),
    )

    class Meta:
        ordering = ["network"]
        verbose_name = _("network rule")
        verbose_name_plural = _("network rules")

    def __str__(self) -> str:
        return self.network

    def clean(self) -> None:
        try:
            self.network = str(ipaddress.ip_network(self.network.strip(), strict=False))
        except ValueError:
            raise ValidationError(
                {"network": _("Enter a network like 203.0.113.0/24 or 2001:db8::/48.")}
            ) from None
