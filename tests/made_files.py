"""PDF, Word and web page files the tests make themselves, with text at places they know."""

from __future__ import annotations

import ctypes
import io

LINE_STEP, PARAGRAPH_STEP = 15, 30  # points between the lines of a paragraph, and between paragraphs


def make_pdf(pages: list[str | None]) -> bytes:
    """One page per entry: its lines in 12 pt Helvetica ("\\n" between lines, a blank line between
    paragraphs), or None for an image-only page (a scan without a text layer)."""
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
                    obj = pdfium.raw.FPDFPageObj_NewTextObj(doc, b"Helvetica", 12.0)
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
