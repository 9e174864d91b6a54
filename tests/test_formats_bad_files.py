"""What cannot be read is said once, with its reason, and nothing else stops: `askurbact index`
over every kind of bad PDF, Word file and web page, real samples and files made here."""

from __future__ import annotations

import shutil

from askurbact import cli
from askurbact.ingest.formats import html
from made_files import REPORT_PAGES, entity_docx, make_docx, make_pdf, make_zip, zip_bomb_docx

OCR = "run OCR first, for example with ocrmypdf"
SAMPLES = {  # shared sample -> the reason it is skipped
    "pdf/encrypted-file.pdf": "encrypted: save a copy without a password",
    "pdf/libreoffice-writer-password.pdf": "encrypted: save a copy without a password",
    "pdf/linn.pdf": f"no text layer on page 1 (scanned?): {OCR}",
    "pdf/cardinal.pdf": f"no text layer on pages 1-4 (scanned?): {OCR}",
    "pdf/invalid.pdf": "damaged or not a PDF (its structure cannot be read)",
    "pdf/empty.pdf": "empty file (0 bytes)",
}
MADE = {  # made here: name -> (bytes, the reason it is skipped)
    "truncated.pdf": (make_pdf(REPORT_PAGES)[:900], "damaged or not a PDF (its structure cannot be read)"),
    "picture.pdf": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a PDF (no %PDF- header)"),
    "empty.docx": (b"", "empty file (0 bytes)"),
    "really-a-pdf.docx": (make_pdf(["A page."]), "not a Word .docx file (not a zip archive)"),
    "old-word.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
                      "encrypted or an old .doc file: save it as .docx without a password"),
    "not-word.docx": (make_zip({"hello.txt": b"hi"}), "not a Word document (no word/document.xml inside)"),
    "bomb.docx": (zip_bomb_docx(), "refused: word/media/x.bin inflates 1028x (a zip bomb?)"),
    "entities.docx": (entity_docx(), "refused: word/document.xml declares a DOCTYPE or XML entities"),
    "empty.html": (b"  \n", "empty file"),
    "image.html": (b"\x00\x01\x02PNG" * 100, "not a web page (binary content)"),
    "deep.html": (b"<html><body>" + b"<div>" * 2000 + b"x" + b"</div>" * 2000 + b"</body></html>",
                  "refused: the page has nested more than 250 deep"),
    "huge.html": (b"<html><body>" + b"<p>word word word</p>" * 5000 + b"</body></html>",
                  "too large for a web page (0.1 MB, more than 0.05 MB)"),
    "book.html": (b"<html><body>" + b"<p>A chapter of the book, on one page.</p>" * 1000 + b"</body></html>",
                  "refused: the page holds 0.035 million characters of text (more than 0.02): "
                  "save the article alone, or as a .txt file"),
}


def test_every_bad_file_is_skipped_once_with_its_reason(corpus, docs, tmp_path, capsys, monkeypatch):
    for rel in SAMPLES:
        (corpus / rel).parent.mkdir(exist_ok=True)
        shutil.copy(docs / rel, corpus / rel)  # a copy in the test's own folder, never in the repository
    shutil.copy(docs / "pdf" / "copy-protected.pdf", corpus / "pdf")  # an owner password only: it is read
    for name, (data, _) in MADE.items():
        (corpus / name).write_bytes(data)
    (corpus / "scan-inside.pdf").write_bytes(make_pdf(REPORT_PAGES))
    (corpus / "fine.docx").write_bytes(make_docx(lambda d: d.add_paragraph("Volunteers repair bicycles.")))
    monkeypatch.setattr(html, "MAX_BYTES", 50_000)  # the forked parsing child inherits these
    monkeypatch.setattr(html, "MAX_TEXT", 20_000)
    monkeypatch.setenv("ASKURBACT_HOME", str(tmp_path / "home"))
    code = cli.main(["--corpus", str(corpus), "--index", str(tmp_path / "ix"), "index"])
    out, err = capsys.readouterr()
    expected = {**SAMPLES, **{name: reason for name, (_, reason) in MADE.items()}}
    said = [line for line in err.splitlines() if line.startswith("askurbact: skipped ")]
    assert sorted(said) == sorted(f"askurbact: skipped {rel}: {reason}" for rel, reason in expected.items())
    assert err.count(f"warning: scan-inside.pdf: no text layer on page 3 (scanned?): {OCR}") == 1
    assert len(err.splitlines()) == len(expected) + 1 and "Traceback" not in err
    assert code == 0 and "5 documents: 5 added" in out and f"{len(expected)} skipped" in out
