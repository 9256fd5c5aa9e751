"""A real DNS server on 127.0.0.1 for the tests: a UDP thread answering from a dict.

``records`` maps (name, type) to a list of record texts, e.g.
``{("example.test", "TXT"): ['"v=spf1 -all"'], ("example.test", "MX"): ["10 mx.example.test."]}``.
A name with no record of the asked type answers NOERROR with no records when it has some other
type, NXDOMAIN otherwise. ``silent=True`` makes a server that receives and never answers.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from contextlib import contextmanager

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class LocalDNS:
    def __init__(self, records: dict | None = None, silent: bool = False):
        self.records = {
            (n.lower().rstrip("."), t.upper()): v for (n, t), v in (records or {}).items()
        }
        self.silent = silent
        self.queries: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> LocalDNS:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def answer(self, wire: bytes) -> bytes:
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, rdtype))
        texts = self.records.get((name, rdtype))
        if texts:
            response.answer.append(
                dns.rrset.from_text_list(question.name, 300, dns.rdataclass.IN, rdtype, texts)
            )
        elif not any(key[0] == name for key in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, address = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if self.silent:
                continue
            with contextlib.suppress(Exception):  # a malformed query gets no answer
                self.sock.sendto(self.answer(wire), address)


@contextmanager
def local_dns(records: dict | None = None, silent: bool = False):
    server = LocalDNS(records, silent).start()
    try:
        yield server
    finally:
        server.stop()


def zone(
    domain: str,
    *,
    spf: str | None = None,
    dmarc: str | None = None,
    mx: str = "",
    dkim=(),
    mta_sts=False,
) -> dict:
    """Records for ``domain``: an MX, and the SPF, DMARC, DKIM and MTA-STS asked for."""
    records: dict = {
        (domain, "MX"): [mx or f"10 {domain.replace('.', '-')}.mail.protection.outlook.com."]
    }
    records[(domain, "A")] = ["192.0.2.10"]
    if spf is not None:
        records[(domain, "TXT")] = [f'"{spf}"', '"google-site-verification=abc"']
    if dmarc is not None:
        records[(f"_dmarc.{domain}", "TXT")] = [f'"{dmarc}"']
    for selector in dkim:
        records[(f"{selector}._domainkey.{domain}", "TXT")] = ['"v=DKIM1; k=rsa; p=MIGfMA0G"']
    if mta_sts:
        records[(f"_mta-sts.{domain}", "TXT")] = ['"v=STSv1; id=20260101"']
    return records
