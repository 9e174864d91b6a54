"""PDF, Word and web page files the tests make themselves, with text at places they know."""

from __future__ import annotations

import ctypes
import io
import zipfile

LINE_STEP, PARAGRAPH_STEP = 15, 30  # points between the lines of a paragraph, and between paragraphs


def make_pdf(pages: list[str | None]) -> bytes:
    """One page per entry: its lines in 12 pt Helvetica ("\\n" between lines, a blank line between
    paragraphs; a line "# Title" is set in 16 pt, as a heading), or None for an image-only page
    (a scan without a text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for text in pages:
        page = doc.new_page(612, 792)
        if text is None:
            image = pdfium.PdfImage.new(doc)
            image.set_bitmap(pdfium.PdfBitmap.new_native(8, 8, pdfium.raw.FPDFBitmap_BGR))
            image.set_matrix(pdfium.PdfMatrix().scale(200, 200).translate(100, 400))
            page.insert_obj(image)
        else:
            y = 700
            for paragraph in text.split("\n\n"):
                for line in paragraph.split("\n"):
                    size = 16.0 if line.startswith("# ") else 12.0
                    line = line.removeprefix("# ")
                    obj = pdfium.raw.FPDFPageObj_NewTextObj(doc, b"Helvetica", size)
                    encoded = (line + "\x00").encode("utf-16-le")
                    pdfium.raw.FPDFText_SetText(obj, (ctypes.c_ushort * (len(encoded) // 2)).from_buffer_copy(encoded))
                    pdfium.raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, y)
                    pdfium.raw.FPDFPage_InsertObject(page, obj)
                    y -= LINE_STEP
                y -= PARAGRAPH_STEP - LINE_STEP
        page.gen_content()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_docx(build) -> bytes:
    """A Word file: `build(document)` adds its content with python-docx."""
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A "Word file" whose one image inflates 4000 times."""
    return make_zip({"word/document.xml": b"<w/>", "word/media/x.bin": b"\0" * (4 * 2**20)})


def entity_docx() -> bytes:
    """A Word file whose body declares XML entities (the start of a billion-laughs bomb)."""
    with zipfile.ZipFile(io.BytesIO(make_docx(lambda d: d.add_paragraph("Hello")))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    head, rest = parts["word/document.xml"].split(b"?>", 1)
    parts["word/document.xml"] = head + b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + rest
    return make_zip(parts)


def make_html(title: str, article: str) -> bytes:
    """A saved web page: navigation, a cookie banner and a footer around `article` (HTML),
    which starts on line 6 of the file."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><title>{title}</title><script>var tracking = 1;</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/news">All the news</a></li></ul></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<article><h1>{title}</h1>
{article}
</article><footer>Imprint | Privacy | Contact the newsroom</footer></body></html>
""".encode()


REPORT_PAGES = [
    "# Harbour report\n\nThis report describes the works in the harbour of\nGdynia between 2017 and 2020, done with the\n"
    "city and the port authority of the region.",
    "# Tram depot\n\nThe Gdynia tram depot was rebuilt in 2019\nwith solar panels on the roof of its\nnew hall for the trams."
    "\n\nThe works took two years and cost\nfour million euros in total, paid\nby the region and by the city.",
    None,  # a scanned page
    "# Ferries\n\nThe night ferry to Karlskrona leaves\nat nine in the evening every day\nfrom the western quay of the port.",
]


def _handbook(document) -> None:
    document.add_heading("Volunteer handbook", level=0)
    document.add_heading("Repairs", level=1)
    document.add_paragraph("Volunteers in Lyon repair bicycles every Saturday morning in the old market hall.")
    document.add_heading("Tools", level=2)
    document.add_paragraph("Spanners and tyre levers are lent to every visitor.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Day", "Opening"), ("Saturday", "9 to 12")]):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text


def add_mixed_documents(corpus) -> None:
    """Beside the bundled Markdown articles: a PDF (page 3 scanned), a Word file of the same
    name, a web page and a text file, each holding facts no other file has."""
    (corpus / "report.pdf").write_bytes(make_pdf(REPORT_PAGES))
    (corpus / "report.docx").write_bytes(make_docx(_handbook))
    (corpus / "article.html").write_bytes(make_html("Community kitchen", (
        "<p>The Porto community kitchen serves four hundred meals a day to families of the neighbourhood.</p>\n"
        "<p>Cooks are trained there for six months before they find work in the restaurants of the city.</p>")))
    (corpus / "notes.txt").write_text("Library notes\n\nThe Vilnius library lends sewing machines to its readers "
                                      "for two weeks.\n", encoding="utf-8")


def make_mapped_pdf(lines: list[tuple[float, float, bytes]], to_unicode: dict[int, str]) -> bytes:
    """One page of 12 pt Helvetica (WinAnsi) lines, each (x, y, the bytes its text shows), whose font
    maps the codes in `to_unicode` to those characters: how a producer's ToUnicode table says that
    a glyph is a soft hyphen, a ligature, or (wrongly) an arrow."""
    cmap = "\n".join(f"<{code:02X}> <{''.join(f'{ord(c):04X}' for c in text)}>" for code, text in to_unicode.items())
    cmap_stream = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Made def "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(to_unicode)} beginbfchar\n{cmap}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    content = b"".join(b"BT /F1 12 Tf %g %g Td (" % (x, y) + text.replace(b"\\", b"\\\\").replace(b"(", b"\\(")
                       .replace(b")", b"\\)") + b") Tj ET\n" for x, y, text in lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap_stream) + cmap_stream + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
