"""Benchmark: the QBR / board report PDF of a client with a year of data, against
WeasyPrint rendering a trivial one-page document in the same run.

    .venv/bin/python bench/qbr_pdf.py [--client pacific-fab] [--period 2027Q1] [--repeat 5]

The data is built as in bench/brief_page.py (the demo, topped up with a year of records
for the apps whose demo has not landed). WeasyPrint is imported and warmed first, as in
the background worker, which stays up between reports. Then the QBR of the last quarter
that has ended (or ``--period``) is generated ``--repeat`` times exactly as the background
task does it (``documents.qbr_pdf``: read the sections, render the template, lay out,
write the PDF); the script prints the median and best time with its parts, the page
count, the target (3 s) and the ratio QBR ÷ trivial document. Not a test: timings depend
on the machine, whose load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.brief_page import build, describe  # noqa: E402

TARGET_S = 3.0
TRIVIAL = "<!doctype html><html><body><h1>Hello</h1><p>One page.</p></body></html>"


def timed(fn, repeat: int) -> tuple[float, float, float, object]:
    """(median wall time, best wall time, median CPU time of this process, last result).

    The CPU time leaves out the time spent waiting for a processor that other programs
    hold: on a busy machine it is the fairer measure of the work itself."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(walls), statistics.median(cpus), result


def parts(client, period) -> dict[str, float]:
    """One generation, step by step: where the time goes."""
    from ciodesk.reports import documents
    from ciodesk.reports.render import layout

    out = {}
    started = time.perf_counter()
    context = documents.qbr_context(client, period)
    out["read the sections"] = time.perf_counter() - started
    started = time.perf_counter()
    html = documents.qbr_render(context)
    out["render the template"] = time.perf_counter() - started
    started = time.perf_counter()
    document = layout(html)
    out["lay out"] = time.perf_counter() - started
    started = time.perf_counter()
    document.write_pdf()
    out["write the PDF"] = time.perf_counter() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", default="pacific-fab", help="a demo client's slug")
    parser.add_argument("--period", help="a fiscal quarter such as 2027Q1 (default: the last)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ciodesk-bench-") as tmp:
        print("Building a year of demo data …", flush=True)
        clients = build(Path(tmp))
        client = clients[args.client]

        from weasyprint import HTML

        from ciodesk.reports import documents
        from ciodesk.reports.periods import last_ended_quarter, parse_period

        period = parse_period(args.period, client) if args.period else last_ended_quarter(client)
        print(f"\nClient {client.slug}, QBR {period.key} ({period.span}): {describe(client)}")
        HTML(string=TRIVIAL).write_pdf()  # import and warm WeasyPrint, as a worker has
        documents.qbr_pdf(client, period)  # and the templates and fonts

        base = timed(lambda: HTML(string=TRIVIAL).write_pdf(), 10)
        qbr = timed(lambda: documents.qbr_pdf(client, period), args.repeat)
        pdf = qbr[3]
        steps = parts(client, period)

        print(f"\n{'document':<34}{'median':>9}{'best':>9}{'CPU':>9}")
        for name, (median, best, cpu, _) in (
            ("trivial 1-page (baseline)", base),
            (f"QBR, {pdf.pages} pages, {len(pdf.content) // 1024} KB", qbr),
        ):
            print(f"{name:<34}{median:>8.3f}s{best:>8.3f}s{cpu:>8.3f}s")
        print("\nOne generation, by step (wall time):")
        for name, seconds in steps.items():
            print(f"  {name:<24}{seconds:>7.3f}s")
        verdict = "within" if qbr[0] <= TARGET_S else "OVER"
        print(
            f"\nQBR PDF, median {qbr[0]:.2f} s wall, {qbr[2]:.2f} s CPU "
            f"(target ≤ {TARGET_S:.0f} s: {verdict})"
        )
        print(f"Ratio QBR ÷ trivial document (baseline, same run): {qbr[0] / base[0]:.1f}")
        print(
            f"Load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} processors"
        )


if __name__ == "__main__":
    main()
