"""Outside-in checks of a prospect's e-mail domain: what anyone on the internet can read.

MX (who handles the mail), SPF (who may send as the domain, and how strictly), DMARC (what
receivers should do with mail that fails), DKIM at common selectors, and MTA-STS.

Every look-up is bounded: each one by ``RISK_REVIEW_DNS_TIMEOUT`` seconds, and all of them
together by ``RISK_REVIEW_TOTAL_SECONDS`` (they run at the same time, in threads; whatever
has not answered by the deadline is reported as "could not check", never as "missing"). A
slow or hostile DNS server therefore never holds the page past the budget. The resolver is
the system's, or the servers in ``RISK_REVIEW_DNS_SERVERS`` on ``RISK_REVIEW_DNS_PORT``.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import re
import time
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver
from django.conf import settings
from django.core.exceptions import ValidationError

DKIM_SELECTORS = ("selector1", "selector2", "google", "default", "k1", "s1", "s2", "dkim", "mail")
MAX_RECORDS = 6  # records kept per look-up; a hostile zone cannot fill the lead with text
MAX_TEXT = 400  # characters kept per record

OK, WARN, BAD, UNKNOWN, INFO = "ok", "warn", "bad", "unknown", "info"
FOUND, ABSENT, FAILED = "found", "absent", "failed"

LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
BLOCKED_SUFFIXES = ("localhost", "local", "internal", "arpa", "invalid", "home", "lan", "corp")
FREE_MAIL = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "yandex.com",
        "zoho.com",
    ]
)

PROVIDERS = (
    (".mail.protection.outlook.com", "Microsoft 365"),
    (".google.com", "Google Workspace"),
    (".googlemail.com", "Google Workspace"),
    (".pphosted.com", "Proofpoint"),
    (".ppe-hosted.com", "Proofpoint Essentials"),
    (".mimecast.com", "Mimecast"),
    (".barracudanetworks.com", "Barracuda"),
    (".messagelabs.com", "Broadcom Email Security"),
    (".zoho.com", "Zoho Mail"),
    (".zoho.eu", "Zoho Mail"),
    (".secureserver.net", "GoDaddy"),
    (".protonmail.ch", "Proton Mail"),
    (".icloud.com", "Apple iCloud"),
)


def clean_domain(value: str) -> str:
    """A strictly valid public host name from a domain or an e-mail address, lower case.

    Refuses URLs, IP addresses, ports, paths, single labels and local names.
    """
    text = (value or "").strip().lower()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = text.rstrip(".")
    if not text or any(c in text for c in "/:\\?#[] \t\r\n%"):
        raise ValidationError("Enter a domain such as example.com (no “https://”, no path).")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        raise ValidationError("Enter the company's domain name, not an IP address.")
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError("That is not a valid domain name.") from exc
    labels = text.split(".")
    if (
        len(text) > 253
        or len(labels) < 2
        or not all(LABEL.match(label) for label in labels)
        or not TLD.match(labels[-1])
    ):
        raise ValidationError("That is not a valid domain name. Enter one such as example.com.")
    if labels[-1] in BLOCKED_SUFFIXES:
        raise ValidationError("Enter a public domain name.")
    return text


# --- the look-ups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    state: str  # FOUND, ABSENT or FAILED
    records: tuple[str, ...] = ()
    reason: str = ""


def make_resolver(timeout: float) -> dns.resolver.Resolver | None:
    servers = list(getattr(settings, "RISK_REVIEW_DNS_SERVERS", []) or [])
    try:
        resolver = dns.resolver.Resolver(configure=not servers)
    except dns.resolver.NoResolverConfiguration:
        return None
    if servers:
        resolver.nameservers = servers
    resolver.port = int(getattr(settings, "RISK_REVIEW_DNS_PORT", 53))
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None
    return resolver


def _text(rdata) -> str:
    if rdata.rdtype == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", errors="replace")[:MAX_TEXT]
    if rdata.rdtype == dns.rdatatype.MX:
        return f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}"[:MAX_TEXT]
    return rdata.to_text()[:MAX_TEXT]


def lookup(resolver: dns.resolver.Resolver, name: str, rdtype: str, lifetime: float) -> Lookup:
    try:
        answer = resolver.resolve(name, rdtype, lifetime=lifetime, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return Lookup(ABSENT)
    except dns.exception.Timeout:
        return Lookup(FAILED, reason="no answer in time")
    except dns.resolver.NoNameservers:
        return Lookup(FAILED, reason="the DNS servers refused or failed")
    except (dns.exception.DNSException, OSError, ValueError) as exc:
        return Lookup(FAILED, reason=type(exc).__name__)
    records = tuple(_text(r) for r in list(answer)[:MAX_RECORDS])
    return Lookup(FOUND, records)


def run_lookups(domain: str) -> tuple[dict[str, Lookup], float]:
    """Every look-up of ``domain`` at once, within the total budget: ({key: Lookup}, seconds)."""
    started = time.monotonic()
    total = float(settings.RISK_REVIEW_TOTAL_SECONDS)
    per = min(float(settings.RISK_REVIEW_DNS_TIMEOUT), total)
    wanted = {
        "mx": (domain, "MX"),
        "spf": (domain, "TXT"),
        "dmarc": (f"_dmarc.{domain}", "TXT"),
        "mta_sts": (f"_mta-sts.{domain}", "TXT"),
    }
    wanted |= {f"dkim:{s}": (f"{s}._domainkey.{domain}", "TXT") for s in DKIM_SELECTORS}
    resolver = make_resolver(per)
    if resolver is None:
        failed = Lookup(FAILED, reason="no DNS resolver is configured")
        return dict.fromkeys(wanted, failed), 0.0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(wanted))
    try:
        futures = {
            pool.submit(lookup, resolver, name, rdtype, per): key
            for key, (name, rdtype) in wanted.items()
        }
        concurrent.futures.wait(futures, timeout=max(0.0, total - (time.monotonic() - started)))
    finally:
        # Threads still waiting end on their own lifetime; the page does not wait for them.
        pool.shutdown(wait=False, cancel_futures=True)
    results = {}
    for future, key in futures.items():
        if future.done() and not future.cancelled() and future.exception() is None:
            results[key] = future.result()
        else:
            results[key] = Lookup(FAILED, reason="no answer in time")
    return results, time.monotonic() - started


# --- reading the answers -------------------------------------------------------------------------


def _could_not(what: str, found: Lookup) -> dict:
    return {
        "status": UNKNOWN,
        "summary": f"Could not check {what} ({found.reason or 'no answer'}).",
        "records": [],
    }


def mx_provider(host: str) -> tuple[str, bool]:
    """(the provider's name, whether it is a known one) from a mail server's host name."""
    host = host.lower().rstrip(".")
    for suffix, name in PROVIDERS:
        if host.endswith(suffix) or host == suffix.lstrip("."):
            return name, True
    return ".".join(host.split(".")[-2:]), False


def read_mx(found: Lookup) -> dict:
    if found.state == FAILED:
        return _could_not("who handles the e-mail", found)
    hosts = []
    for record in found.records:
        parts = record.split(" ", 1)
        if len(parts) == 2:
            hosts.append((int(parts[0]) if parts[0].isdigit() else 0, parts[1]))
    hosts.sort()
    if not hosts:
        return {"status": WARN, "summary": "No mail servers (MX) are published.", "records": []}
    if hosts[0][1] in ("", "."):
        return {
            "status": INFO,
            "summary": "The domain receives no e-mail (null MX).",
            "records": [],
        }
    provider, known = mx_provider(hosts[0][1])
    summary = (
        f"E-mail is handled by {provider}." if known else f"E-mail goes to servers at {provider}."
    )
    return {
        "status": INFO,
        "provider": provider,
        "summary": summary,
        "records": [host for _, host in hosts],
    }


def read_spf(found: Lookup) -> dict:
    if found.state == FAILED:
        return _could_not("SPF", found)
    spf = [r for r in found.records if r.lower().startswith("v=spf1")]
    if not spf:
        return {
            "status": BAD,
            "qualifier": "missing",
            "summary": "No SPF record: any server can claim to send the company's e-mail.",
            "records": [],
        }
    if len(spf) > 1:
        return {
            "status": BAD,
            "qualifier": "invalid",
            "summary": "Several SPF records: receivers treat that as an error and ignore them.",
            "records": spf,
        }
    terms = spf[0].lower().split()
    qualifier = "none"
    for term in terms:
        if term in ("-all", "~all", "?all", "+all", "all"):
            qualifier = {"-all": "strict", "~all": "soft", "all": "open", "+all": "open"}.get(
                term, "neutral"
            )
    if qualifier == "none" and any(t.startswith("redirect=") for t in terms):
        qualifier = "redirect"
    summaries = {
        "strict": (OK, "SPF is strict (-all): mail from other servers should be refused."),
        "soft": (WARN, "SPF is soft (~all): mail from other servers is only marked suspicious."),
        "redirect": (WARN, "SPF defers to another domain's record (redirect=)."),
        "neutral": (BAD, "SPF is weak (?all): it says nothing about other servers."),
        "open": (BAD, "SPF allows any server (+all): it protects nothing."),
        "none": (BAD, "SPF has no “all” rule, so it says nothing about other servers."),
    }
    status, summary = summaries[qualifier]
    return {"status": status, "qualifier": qualifier, "summary": summary, "records": spf}


def dmarc_tags(record: str) -> dict[str, str]:
    tags = {}
    for part in record.split(";"):
        if "=" in part:
            key, _, value = part.partition("=")
            tags[key.strip().lower()] = value.strip().lower()
    return tags


def read_dmarc(found: Lookup) -> dict:
    if found.state == FAILED:
        return _could_not("DMARC", found)
    dmarc = [r for r in found.records if r.lower().replace(" ", "").startswith("v=dmarc1")]
    if not dmarc:
        return {
            "status": BAD,
            "policy": "missing",
            "summary": "No DMARC record: criminals can send mail that looks like the company's.",
            "records": [],
        }
    tags = dmarc_tags(dmarc[0])
    policy = tags.get("p", "")
    if policy not in ("none", "quarantine", "reject"):
        policy = "none"  # receivers treat an invalid policy as none
    summaries = {
        "reject": (OK, "DMARC rejects mail that fails the checks (p=reject)."),
        "quarantine": (WARN, "DMARC sends failing mail to spam (p=quarantine)."),
        "none": (BAD, "DMARC only reports (p=none): spoofed mail is still delivered."),
    }
    status, summary = summaries[policy]
    if policy != "none" and tags.get("pct", "100") not in ("", "100"):
        status, summary = WARN, summary + f" It applies to {tags['pct']}% of mail only."
    return {"status": status, "policy": policy, "summary": summary, "records": dmarc[:1]}


def read_dkim(found: dict[str, Lookup]) -> dict:
    selectors = [s for s in DKIM_SELECTORS if found[f"dkim:{s}"].state == FOUND]
    if selectors:
        return {
            "status": OK,
            "selectors": selectors,
            "summary": f"DKIM signing keys found ({', '.join(selectors)}).",
            "records": [],
        }
    if all(found[f"dkim:{s}"].state == FAILED for s in DKIM_SELECTORS):
        return _could_not("DKIM", found[f"dkim:{DKIM_SELECTORS[0]}"])
    return {
        "status": WARN,
        "selectors": [],
        "summary": "No DKIM key at the common selectors (the mail system may use another one).",
        "records": [],
    }


def read_mta_sts(found: Lookup) -> dict:
    if found.state == FAILED:
        return _could_not("MTA-STS", found)
    if any(r.lower().replace(" ", "").startswith("v=stsv1") for r in found.records):
        return {"status": OK, "summary": "MTA-STS is published: mail to it travels encrypted."}
    return {
        "status": WARN,
        "summary": "No MTA-STS: mail sent to the company may travel unencrypted.",
    }


def check_domain(domain: str) -> dict:
    """The outside-in findings for ``domain``, as stored on the lead (JSON)."""
    found, seconds = run_lookups(domain)
    return {
        "domain": domain,
        "seconds": round(seconds, 2),
        "mx": read_mx(found["mx"]),
        "spf": read_spf(found["spf"]),
        "dmarc": read_dmarc(found["dmarc"]),
        "dkim": read_dkim(found),
        "mta_sts": read_mta_sts(found["mta_sts"]),
    }


CHECK_TITLES = {
    "mx": "Who handles the e-mail (MX)",
    "spf": "Who may send as the domain (SPF)",
    "dmarc": "What happens to spoofed mail (DMARC)",
    "dkim": "Signed e-mail (DKIM)",
    "mta_sts": "Encrypted delivery (MTA-STS)",
}


def rows(results: dict) -> list[dict]:
    """The checks in page order, each with its title (for the result page and the PDF)."""
    return [
        {"key": key, "title": title, **results[key]}
        for key, title in CHECK_TITLES.items()
        if isinstance(results.get(key), dict)
    ]
