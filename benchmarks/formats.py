"""Format extraction benchmark: every sample in shared/data/docs through the PDF, DOCX and HTML
extractors, each file in a fresh child process so its peak memory is its own.

    python benchmarks/formats.py [--data DIR] [--repeat N]

Prints, per format: files, pages (PDF), blocks, seconds, pages/s and blocks/s, the largest
per-file peak RSS, and every file skipped with its reason; then the HTML quality table (word
precision and recall against the Zyte article bodies, trafilatura's with/without snippets) and
the PDF checks (a sentence across a column's line break, running heads and page numbers left in
blocks). It prints figures and asserts nothing: the tests are where behaviour is asserted.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FORMATS = {"pdf": (".pdf",), "docx": (".docx",), "html": (".html", ".htm")}


def _default_data() -> Path:
    for candidate in (ROOT.parent / "shared" / "data" / "docs", Path("/work/shared/data/docs")):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "data" / "docs"


def _child(path: str, fmt: str, repeat: int) -> None:
    """Run in the child: extract `path` (time: best of `repeat`, the first run pays the imports of
    the format's library once, as a worker would; memory: after the first run), print one JSON line."""
    import importlib
    import resource

    from askurbact.errors import CorpusFileError

    module = importlib.import_module(f"askurbact.ingest.formats.{fmt}")
    data = Path(path).read_bytes()
    best, result, reason, peak_mb = None, None, None, 0.0
    for attempt in range(repeat):
        started = time.perf_counter()
        try:
            result = module.extract(data, Path(path).name)
        except CorpusFileError as exc:
            reason = str(exc)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        if attempt == 0:  # one extraction's peak: later rounds only add garbage not yet collected
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"seconds": best, "peak_mb": peak_mb, "reason": reason}
    if result is not None:
        out.update(blocks=len(result.blocks), pages=len(result.pages) if fmt == "pdf" else 0,
                   text=[b.text for b in result.blocks], block_pages=[b.page for b in result.blocks],
                   page_texts=result.pages if fmt == "pdf" else None, warnings=result.warnings)
    print(json.dumps(out))


def _run(path: Path, fmt: str, repeat: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", str(path), fmt, str(repeat)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"seconds": 0.0, "peak_mb": 0.0, "reason": f"crashed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _baseline_mb() -> float:
    """Peak RSS of a child that only imports the three modules: what extraction adds is above it."""
    code = ("import resource, askurbact.ingest.formats.pdf, askurbact.ingest.formats.docx, "
            "askurbact.ingest.formats.html, docx, trafilatura; "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "src")})
    return float(done.stdout.strip() or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings per file")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"no sample documents at {args.data}: nothing to measure")
        return
    results: dict[str, dict[str, dict]] = {}
    for fmt, suffixes in FORMATS.items():
        files = sorted(p for p in (args.data / fmt).iterdir() if p.suffix.lower() in suffixes)
        results[fmt] = {p.name: _run(p, fmt, args.repeat) for p in files}
    print(f"samples: {args.data}   (child process with the imports only: {_baseline_mb():.0f} MB peak RSS)\n")
    _speed_table(results)
    _html_quality(args.data, results["html"])
    _pdf_checks(results["pdf"])


def _speed_table(results: dict) -> None:
    print("| format | files read | skipped | pages | blocks | seconds | pages/s | blocks/s | max peak MB (file) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fmt, files in results.items():
        read = {n: r for n, r in files.items() if r["reason"] is None}
        seconds = sum(r["seconds"] for r in files.values())
        pages = sum(r.get("pages", 0) for r in read.values())
        blocks = sum(r.get("blocks", 0) for r in read.values())
        heavy = max(files.items(), key=lambda item: item[1]["peak_mb"])
        rate = f"{pages / seconds:.0f}" if pages else "-"
        print(f"| {fmt} | {len(read)} | {len(files) - len(read)} | {pages or '-'} | {blocks} | {seconds:.3f} | {rate} "
              f"| {blocks / seconds:.0f} | {heavy[1]['peak_mb']:.0f} ({heavy[0][:40]}) |")
    geo = results["pdf"].get("GeoTopo-komprimiert.pdf")
    if geo:
        print(f"\nGeoTopo-komprimiert.pdf: {geo.get('pages', 0)} pages in {geo['seconds']:.3f} s, peak {geo['peak_mb']:.0f} MB")
    print("\nskipped (the reason the user sees):")
    for fmt, files in results.items():
        for name, r in files.items():
            if r["reason"] is not None:
                print(f"  {fmt:4s} {name}: {r['reason']}")
    print("\nwarnings:")
    for fmt, files in results.items():
        for name, r in files.items():
            for warning in r.get("warnings") or []:
                print(f"  {fmt:4s} {name}: {warning}")


def _words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def _html_quality(data: Path, results: dict) -> None:
    expected = data / "html" / "expected"
    zyte = json.loads((expected / "zyte-ground-truth-subset.json").read_text())
    snippets = json.loads((expected / "trafilatura-evaldata-subset.json").read_text())
    print("\n| HTML page | precision | recall | with found | without found |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        text = " ".join(" ".join(r.get("text") or []).split())
        cells = ["", "", "", ""]
        if name in zyte:
            got, gold = _words(text), _words(zyte[name]["articleBody"])
            overlap = sum((got & gold).values())
            cells[0] = f"{overlap / max(sum(got.values()), 1):.3f}"
            cells[1] = f"{overlap / max(sum(gold.values()), 1):.3f}"
        entry = next((e for e in snippets.values() if e["file"] == name), None)
        if entry:
            found = [s for s in entry["with"] if s in text]
            leaked = [s for s in entry["without"] if s in text]
            missing = [s for s in entry["with"] if s not in text]
            cells[2] = f"{len(found)}/{len(entry['with'])}" + (f" (missing: {missing})" if missing else "")
            cells[3] = f"{len(leaked)}/{len(entry['without'])}" + (f" ({leaked})" if leaked else "")
        if any(cells):
            print(f"| {name[:44]} | " + " | ".join(cells) + " |")


_PAGE_NUMBER = re.compile(r"(?i)^(page\s*)?(\d{1,4}|[ivxlcdm]{1,7})$")
_CHECKS = {  # sentences that run across a line break (and, for the GAO brief, past the other column)
    "react_paper.pdf": "Consider the example of cooking up a dish in the kitchen.",
    "invalid-pdf-structure-pdfminer-one-page.pdf": "depend on technology systems to carry out fundamental operations",
    "failure-after-repair.pdf": "breast cancer are on the BRCA1 and BRCA2 genes.",
}


def _pdf_checks(results: dict) -> None:
    print("\n| PDF | blocks | page-number-only blocks | blocks repeated at 3+ page edges | sentence across a break read whole |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        if r["reason"] is not None:
            continue
        texts = r["text"]
        numbers = sum(bool(_PAGE_NUMBER.match(t.strip())) for t in texts)
        pages_of = collections.defaultdict(set)
        for text, page in zip(texts, r["block_pages"]):
            if len(text) < 120:
                pages_of[re.sub(r"\d+", "#", text)].add(page)
        repeated = sum(1 for pages in pages_of.values() if len(pages) >= 3)
        check = _CHECKS.get(name)
        whole = "" if check is None else ("yes" if any(check in " ".join(p.split()) for p in r["page_texts"]) else "NO")
        print(f"| {name[:44]} | {len(texts)} | {numbers} | {repeated} | {whole} |")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
