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
(`SignatureQuerySet.sign`).
"""

import enum
import ipaddress

from disposable_email_domains import blocklist
from django.conf import settings
from django.core.cache import caches

from .client_address import client_address
from .form_stamp import form_stamp_age
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


def _network_rule(address: str) -> bool | None:
    """True: in an allowed network; False: in a blocked one (allowed wins); None: neither."""
    rules = _rules()
    parsed = ipaddress.ip_address(address)
    if any(parsed in network for network in rules["allowed_networks"]):
        return True
    if any(parsed in network for network in rules["blocked_networks"]):
        return False
    return None


def screen_signature(
    request: object, petition: Petition, email: str
) -> tuple[bool, RateLimit | None]:
    """
    What the mail domain and the network say, checked in memory: (True, None) if either sets
    the signature aside. Otherwise (False, the rate limit that recording it must apply: the
    sign upsert counts the client's recent signatures in the same statement), with no limit
    for a client in a network staff allowed.
    """
    if email_domain_is_blocked(email):
        return True, None
    network = _network_rule(client_address(request))
    if network is None:
        return False, petition.rate_limit
    return not network, None
