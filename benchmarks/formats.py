"""Document formats benchmark: the shared samples (shared/data/docs: PDF, Word, web pages)
indexed end to end by askurbact's indexer, with its worker processes, one format at a time.

    python benchmarks/formats.py [--data DIR] [--jobs 2] [--repeat 3] [--quick]

Each run is a fresh process that builds an index of one folder (a copy of the format's
samples in a temporary folder) with `update_index(jobs=N)`, so imports, worker start and the
parsing children count as in `askurbact index`. Prints, per format: files indexed and
skipped, PDF pages, passages, seconds of `update_index` (best and median of --repeat),
pages/s and passages/s, the seconds of the whole command (with Python's start and the
imports), the CPU seconds of the indexer and all its processes (less moved than the wall time
by the load of a shared machine), the indexer's peak RSS and the largest peak RSS of its
workers and parsing children (the kernel's high-water mark of the waited-for descendants);
then every skipped file with its reason, the 117-page GeoTopo-komprimiert.pdf alone, each
sample file alone (the largest peak of any process), a re-index after touching every PDF
(nothing may be parsed again: no cache entry rewritten), and the extraction quality figures
of docs/formats.md. It asserts nothing; the machine's speed at the time (benchmarks/probe.py)
is printed before and after.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
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


def _index_run(corpus: str, index: str, jobs: int) -> None:
    """In the child: build the index, print one JSON line (seconds, report, peaks)."""
    import resource

    from askurbact.config import Settings
    from askurbact.index.writer import update_index

    settings = Settings(corpus=Path(corpus), index=Path(index), home=Path(index) / "home", semantic="off")
    started = time.perf_counter()
    report = update_index(settings, jobs=jobs)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "passages": report.passages, "added": report.added,
                      "unchanged": report.unchanged, "skipped": report.skipped, "warnings": report.warnings,
                      "cpu": sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                                           resource.RUSAGE_CHILDREN))),
                      "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def _index(corpus: Path, index: Path, jobs: int, fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--run", str(corpus), str(index), str(jobs)],
                          capture_output=True, text=True, timeout=900)
    command = time.perf_counter() - started  # with Python's start and the imports, as `askurbact index`
    if done.returncode != 0:
        raise SystemExit(f"indexing {corpus} failed:\n{done.stderr}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "command": command}


def _pages(paths: list[Path]) -> int:
    import pypdfium2

    return sum(len(pypdfium2.PdfDocument(path)) for path in paths)


def _probe() -> str:
    data = ROOT.parent / "shared" / "data" / "gutenberg_passages" / "passages.jsonl.gz"
    if not data.is_file():
        data = Path("/work/shared/data/gutenberg_passages/passages.jsonl.gz")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "probe.py"), str(data)],
                          capture_output=True, text=True)
    return (done.stdout.strip().splitlines() or ["probe: not run"])[-1]


def _copy(files: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True)
    for path in files:
        shutil.copy(path, folder / path.name)  # discovery reads no link to outside the corpus


def end_to_end(data: Path, work: Path, jobs: int, repeat: int) -> dict[str, list[Path]]:
    print(f"## End to end, {jobs} workers: best (median) of {repeat} fresh builds\n")
    print("| format | files | indexed | skipped | PDF pages | passages | s | pages/s | passages/s | whole command s "
          "| CPU s | indexer peak MB | largest worker peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    samples, skipped = {}, {}
    for fmt, suffixes in FORMATS.items():
        files = sorted(p for p in (data / fmt).iterdir() if p.suffix.lower() in suffixes)
        samples[fmt] = files
        _copy(files, work / fmt)
        runs = [_index(work / fmt, work / f"{fmt}-index", jobs) for _ in range(repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        middle = statistics.median(r["seconds"] for r in runs)
        skipped[fmt] = best["skipped"]
        pages = _pages([p for p in files if p.name not in best["skipped"]]) if fmt == "pdf" else 0
        rate = f"{pages / best['seconds']:.0f} ({pages / middle:.0f})" if pages else "-"
        print(f"| {fmt} | {len(files)} | {best['added']} | {len(best['skipped'])} | {pages or '-'} | {best['passages']} "
              f"| {best['seconds']:.2f} ({middle:.2f}) | {rate} | {best['passages'] / best['seconds']:.0f} "
              f"| {min(r['command'] for r in runs):.2f} ({statistics.median(r['command'] for r in runs):.2f}) "
              f"| {min(r['cpu'] for r in runs):.2f} "
              f"| {max(r['self_mb'] for r in runs):.0f} | {max(r['children_mb'] for r in runs):.0f} |")
    print("\nskipped (the reason the user sees):")
    for fmt, reasons in skipped.items():
        for name, reason in sorted(reasons.items()):
            print(f"  {fmt:4s} {name}: {reason}")
    return samples


def geotopo(data: Path, work: Path, jobs: int, repeat: int) -> None:
    path = data / "pdf" / "GeoTopo-komprimiert.pdf"
    if not path.is_file():
        return
    _copy([path], work / "geotopo")
    runs = [_index(work / "geotopo", work / "geotopo-index", jobs) for _ in range(repeat)]
    seconds, command = sorted(r["seconds"] for r in runs), sorted(r["command"] for r in runs)
    print(f"\nGeoTopo-komprimiert.pdf alone ({_pages([path])} pages): {seconds[0]:.2f} s best, "
          f"{statistics.median(seconds):.2f} s median of {repeat} (the whole command: {command[0]:.2f} s, "
          f"{statistics.median(command):.2f} s); {runs[0]['passages']} passages")


def each_file_alone(samples: dict[str, list[Path]], work: Path) -> None:
    """Peak memory of the indexer and of its parsing child with one file in the corpus."""
    peaks = []
    for fmt, files in samples.items():
        for path in files:
            folder = work / "alone" / path.name
            _copy([path], folder)
            run = _index(folder, work / "alone-index", 1)
            peaks.append((max(run["self_mb"], run["children_mb"]), run["self_mb"], run["children_mb"], fmt, path.name))
    peaks.sort(reverse=True)
    print(f"\n## Each of the {len(peaks)} sample files alone: peak RSS (indexer / parsing child), the 5 largest\n")
    for _, own, child, fmt, name in peaks[:5]:
        print(f"  {fmt:4s} {name}: indexer {own:.0f} MB, parsing child {child:.0f} MB")
    print(f"  largest peak of any process on any sample file: {peaks[0][0]:.0f} MB")


def unchanged_pdfs(work: Path, jobs: int) -> None:
    corpus, index = work / "pdf", work / "pdf-index"
    entries = {p.name: p.stat().st_mtime_ns for p in (index / "cache").glob("*.entry")}
    for path in corpus.iterdir():
        os.utime(path)  # touched: the size and time changed, the bytes did not
    run = _index(corpus, index, jobs, fresh=False)
    rewritten = sum(1 for p in (index / "cache").glob("*.entry") if entries.get(p.name) != p.stat().st_mtime_ns)
    print(f"\nEvery PDF touched, re-indexed: {run['seconds']:.2f} s, {run['unchanged']} unchanged, "
          f"{rewritten} cache entries rewritten (0: no PDF parsed again)")


def _words(text: str) -> collections.Counter:
    return collections.Counter(re.findall(r"\w+", text.lower()))


def html_quality(data: Path) -> None:
    from askurbact.ingest.formats import html

    expected = data / "html" / "expected"
    zyte = json.loads((expected / "zyte-ground-truth-subset.json").read_text())
    snippets = json.loads((expected / "trafilatura-evaldata-subset.json").read_text())
    print("\n## HTML: indexed text against the article body (Zyte) and trafilatura's snippets\n")
    print("| page | word precision | word recall | 'with' snippets indexed | 'without' snippets indexed |")
    print("|---|---|---|---|---|")
    for path in sorted((data / "html").glob("*.html")):
        text = " ".join(" ".join(b.text for b in html.extract(path.read_bytes(), path.name).blocks).split())
        cells = ["", "", "", ""]
        if path.name in zyte:
            got, gold = _words(text), _words(zyte[path.name]["articleBody"])
            overlap = sum((got & gold).values())
            cells[:2] = f"{overlap / max(sum(got.values()), 1):.3f}", f"{overlap / max(sum(gold.values()), 1):.3f}"
        entry = next((e for e in snippets.values() if e["file"] == path.name), None)
        if entry:
            cells[2] = f"{sum(s in text for s in entry['with'])}/{len(entry['with'])}"
            cells[3] = f"{sum(s in text for s in entry['without'])}/{len(entry['without'])}"
        if any(cells):
            print(f"| {path.name[:44]} | " + " | ".join(cells) + " |")


_PAGE_NUMBER = re.compile(r"(?i)^(page\s*)?(\d{1,4}|[ivxlcdm]{1,7})$")
_CHECKS = {  # sentences that run across a line break (and, for the GAO brief, past the other column)
    "react_paper.pdf": "Consider the example of cooking up a dish in the kitchen.",
    "invalid-pdf-structure-pdfminer-one-page.pdf": "depend on technology systems to carry out fundamental operations",
    "failure-after-repair.pdf": "breast cancer are on the BRCA1 and BRCA2 genes.",
}


def pdf_quality(data: Path) -> None:
    from askurbact.errors import CorpusFileError
    from askurbact.ingest import parse_file
    from askurbact.ingest.chunking import chunk

    print("\n## PDF: passages made only of a running head or a page number; sentences across breaks\n")
    print("| PDF | passages | page-number-only passages | passages repeated on 3+ pages | sentence across a break whole |")
    print("|---|---|---|---|---|")
    for path in sorted((data / "pdf").glob("*.pdf")):
        try:
            loaded = parse_file(path.name, path.read_bytes())
        except CorpusFileError:
            continue
        passages = chunk(loaded.document.doc_id, loaded.blocks)
        numbers = sum(bool(_PAGE_NUMBER.match(p.text.strip())) for p in passages)
        pages_of = collections.defaultdict(set)
        for p in passages:
            if len(p.text) < 120:
                pages_of[re.sub(r"\d+", "#", p.text)].add(p.page)
        repeated = [text for text, pages in pages_of.items() if len(pages) >= 3]
        check = _CHECKS.get(path.name)
        whole = "" if check is None else ("yes" if any(check in " ".join(t.split()) for t in loaded.pages) else "NO")
        shown = f"{len(repeated)}" + (f" ({'; '.join(t[:30] for t in repeated[:2])})" if repeated else "")
        print(f"| {path.name[:44]} | {len(passages)} | {numbers} | {shown} | {whole} |")


def docx_quality(data: Path) -> None:
    import docx as python_docx  # the tests' reference reading of the styles

    from askurbact.ingest.formats import docx

    path = data / "docx" / "handbook-872p.docx"
    if not path.is_file():
        return
    got = docx.extract(path.read_bytes(), path.name)
    reference = python_docx.Document(str(path))
    names = {style.style_id: style.name for style in reference.styles}
    styled = [" ".join(p.text.split()) for p in reference.paragraphs
              if re.match(r"(Heading \d|Title)$", names.get(p._p.style, "")) and p.text.strip()]
    heads = [b.text for b in got.blocks if b.heading]
    sections = {b.section[-1] for b in got.blocks if b.section}
    print(f"\nDOCX handbook-872p.docx: {len(styled)} paragraphs in Title/Heading styles, {len(heads)} heading blocks "
          f"(same texts in order: {'yes' if heads == styled else 'NO'}), each a section: "
          f"{'yes' if set(heads) <= sections else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the per-file memory runs")
    args = parser.parse_args()
    if not (args.data / "pdf").is_dir():
        print(f"no sample documents at {args.data}: nothing to measure")
        return
    print(f"samples: {args.data}; {os.cpu_count()} cores; {_probe()} (before)\n")
    with tempfile.TemporaryDirectory(prefix="askurbact-formats-") as tmp:
        work = Path(tmp)
        samples = end_to_end(args.data, work, args.jobs, args.repeat)
        geotopo(args.data, work, args.jobs, args.repeat)
        unchanged_pdfs(work, args.jobs)
        if not args.quick:
            each_file_alone(samples, work)
    html_quality(args.data)
    pdf_quality(args.data)
    docx_quality(args.data)
    print(f"\n{_probe()} (after)")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--run":
        _index_run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        main()
