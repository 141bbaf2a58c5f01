"""
Anti-automation for the sign and endorse forms: silent, cheap, and never in a person's way.

A signature that looks automated is not refused: it is stored as suspected, never counted, and
its signer gets exactly the response everybody gets, so a script learns nothing to adapt to.
What sets a signature aside:

- the form's honeypot field is filled in, or its signed render time (petitions/form_stamp.py) is
  missing, tampered with or younger than FORM_MIN_SECONDS (no person fills a form that fast);
- the mail domain is blocked by staff, or is a disposable mail service (the maintained
  `disposable-email-domains` list) that staff have not allowed;
- the client's address is in a network staff blocked (compared in memory, never stored);
- the client (a keyed hash of its address, never the address) has signed the petition more
  often than the petition's per-minute or per-day limit. A network staff allowed is exempt.

A form older than FORM_MAX_AGE_SECONDS is neither: it is shown again, its values kept, asking
the person to submit it once more.

For a petition under attack, staff switch on `Petition.requires_proof_of_work`: the sign form
then carries django-altcha's self-hosted widget, which fetches a challenge from us and solves
it in the browser's Web Workers; the form is accepted only with a solution, each usable once.
Its script comes from our static files; its styles are in static/css/altcha.css (the script
would otherwise insert them inline, which our CSP refuses) and the CSP allows `worker-src
'self' blob:` for its workers. Without JavaScript the check cannot run, and the form says so
and records nothing: refusing some people for a while is the price of a switch meant for an
attack, and staff switch it off when the attack is over.

A suspected signer gets no confirmation mail. Mailing every flagged submission would let a
script use our form to flood the inboxes it types in, and our mail's reputation would pay for
it, for every real signer. A real person behind a busy shared address (a university, a mobile
network) is set aside with the rest: staff review suspected signatures and clear them, which
sends the confirmation mail then; a confirmation never turns a suspected signature into a
counted one by itself, since `Signature.confirm()` only confirms pending ones. The same person
submitting again (their submission not set aside) takes the row over, and is mailed then: a
script typing somebody's address into a flagged submission must not keep them from signing
(`SignatureManager.sign`).
"""

import enum
import ipaddress
from dataclasses import dataclass

from disposable_email_domains import blocklist
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from .client_address import IPAddress, client_ip, hash_of, network_of
from .form_stamp import form_stamp_age
from .forms import FormGuard
from .models import EmailDomainRule, NetworkRule, Petition, RateLimit

# Loaded once per process: some thousands of domains, looked up on every signature.
DISPOSABLE_DOMAINS = frozenset(blocklist)

# Staff's lists come from the cache, so a signature costs no query for them: a change in the
# admin applies at once in the process that saved it and within this long everywhere else.
RULES_CACHE_KEY = "abuse-rules"
RULES_CACHE_SECONDS = 60

# The proof-of-work challenge, for a petition staff switched it on for: the browser tries up to
# this many numbers, half of them on average (a fraction of a second on a phone's few cores);
# a script pays the same for every signature it sends.
PROOF_OF_WORK_MAX_NUMBER = 200_000


class Verdict(enum.Enum):
    OK = "ok"
    SUSPECTED = "suspected"
    STALE = "stale"


def form_verdict(honeypot: str, stamp: str | None) -> Verdict:
    """What the honeypot and the form's render time say about a submission."""
    if honeypot:
        return Verdict.SUSPECTED
    age = form_stamp_age(stamp)
    if age is None or age < settings.FORM_MIN_SECONDS:
        return Verdict.SUSPECTED
    if age > settings.FORM_MAX_AGE_SECONDS:
        return Verdict.STALE
    return Verdict.OK


def _load_rules() -> dict:
    domains = dict(EmailDomainRule.objects.values_list("domain", "is_allowed"))
    networks: dict[bool, list] = {True: [], False: []}
    for network, is_allowed in NetworkRule.objects.values_list("network", "is_allowed"):
        try:
            networks[is_allowed].append(ipaddress.ip_network(network, strict=False))
        except ValueError:
            continue  # saved outside the admin's validation: ignore rather than fail signing
    return {
        "allowed_domains": frozenset(d for d, allowed in domains.items() if allowed),
        "blocked_domains": frozenset(d for d, allowed in domains.items() if not allowed),
        "allowed_networks": tuple(networks[True]),
        "blocked_networks": tuple(networks[False]),
    }


def _rules() -> dict:
    rules = caches["local"].get(RULES_CACHE_KEY)
    if rules is None:
        rules = _load_rules()
        caches["local"].set(RULES_CACHE_KEY, rules, RULES_CACHE_SECONDS)
    return rules


def forget_rules() -> None:
    """Staff changed a list: the next signature reads it afresh."""
    caches["local"].delete(RULES_CACHE_KEY)


def _suffixes(domain: str) -> list[str]:
    """ "mail.example.org" -> ["mail.example.org", "example.org", "org"]: most specific first."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def email_domain_is_blocked(email: str) -> bool:
    """Blocked by staff, or disposable and not allowed by staff; the most specific rule wins."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    rules = _rules()
    for suffix in _suffixes(domain):
        if suffix in rules["allowed_domains"]:
            return False
        if suffix in rules["blocked_domains"] or suffix in DISPOSABLE_DOMAINS:
            return True
    return False


def _network_rule(address: IPAddress) -> bool | None:
    """True: in an allowed network; False: in a blocked one (allowed wins); None: neither."""
    rules = _rules()
    if any(address in network for network in rules["allowed_networks"]):
        return True
    if any(address in network for network in rules["blocked_networks"]):
        return False
    return None


def _guard_verdict(request: HttpRequest) -> Verdict:
    guard = FormGuard(request.POST)
    return form_verdict(guard.honeypot, guard.stamp)


@dataclass(frozen=True)
class SignatureScreening:
    """What the checks say about a sign submission, and what recording it needs."""

    verdict: Verdict
    # Who sent it, as stored: a keyed hash of the address and its network, never the address.
    client_hash: str = ""
    network: str = ""
    # The limit the sign upsert applies; None when set aside, or for a network staff allowed.
    rate_limit: RateLimit | None = None

    @property
    def is_stale(self) -> bool:
        return self.verdict is Verdict.STALE

    @property
    def is_suspected(self) -> bool:
        return self.verdict is Verdict.SUSPECTED


def screen_signature(request: HttpRequest, petition: Petition, email: str) -> SignatureScreening:
    """
    Everything the sign view needs to know about a valid submission, the client's address read
    once: a stale form (shown again); else the honeypot and render time, the mail domain and the
    network, checked in memory, set it aside (suspected) or not, and then the rate limit that
    recording it must apply (the sign upsert counts the client's recent signatures in the same
    statement), with no limit for a client in a network staff allowed.
    """
    verdict = _guard_verdict(request)
    if verdict is Verdict.STALE:
        return SignatureScreening(verdict)
    address = client_ip(request)
    rate_limit = None
    if verdict is Verdict.OK:
        network_rule = _network_rule(address)
        if email_domain_is_blocked(email) or network_rule is False:
            verdict = Verdict.SUSPECTED
        elif network_rule is None:
            rate_limit = petition.rate_limit
    return SignatureScreening(
        verdict, client_hash=hash_of(address), network=network_of(address), rate_limit=rate_limit
    )


def screen_endorsement(request: HttpRequest) -> Verdict:
    """
    What the honeypot and render time say about a valid endorse submission. Nothing else: staff
    review every endorsement, and nothing about its sender is stored.
    """
    return _guard_verdict(request)
