"""Documents people download and send on (a reflection portfolio, a session summary): one self-contained HTML
page (no scripts, nothing loaded from elsewhere) and a PDF (fpdf2) with the same content."""

from __future__ import annotations

import html
from pathlib import Path

from wijkleer import characters

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
STYLE = (
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid "
    "#999;padding-top:1rem}h3{font-size:1rem;margin-bottom:.2rem}.tekst{white-space:pre-wrap}.meta{color:#555}"
    "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left;"
    "vertical-align:top}td.getal{text-align:right}"
)


def html_page(title: str, body: list[str]) -> str:
    """A whole HTML document around ``body`` (parts that are escaped already), titled ``title`` (escaped here)."""
    e = html.escape
    parts = [
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{e(title)}</title>',
        f"<style>{STYLE}</style></head><body><h1>{e(title)}</h1>",
        *body,
        "</body></html>\n",
    ]
    return characters.readable("\n".join(parts))  # a database from before the character rule still exports


class Pdf:
    """An A4 PDF written top to bottom. DejaVu Sans (all of Dutch and most scripts) when installed, else a core
    font; characters the font cannot draw become '?' (the HTML keeps them)."""

    def __init__(self, title: str, author: str = "", compress: bool = True) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_compression(compress)
        self.family, self.drawable = self._font()
        self.pdf.set_title(self.clean(title))
        if author:
            self.pdf.set_author(self.clean(author))
        self.pdf.add_page()

    def _font(self) -> tuple[str, set[int] | None]:
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.is_file():
            self.pdf.add_font("DejaVu", "", str(regular))
            self.pdf.add_font("DejaVu", "B", str(bold if bold.is_file() else regular))
            return "DejaVu", set(getattr(self.pdf.fonts["dejavu"], "cmap", {}) or ()) or None
        return "Helvetica", set(range(32, 256)) - set(range(127, 160))

    def clean(self, text: str) -> str:
        text = characters.readable(text).replace("\t", "    ").replace("\r\n", "\n").replace("\r", "\n")
        return "".join(c if c == "\n" or self.drawable is None or ord(c) in self.drawable else "?" for c in text)

    def write(self, text: str, size: float = 11, style: str = "", gap: float = 1.5) -> None:
        self.pdf.set_font(self.family, style, size)
        self.pdf.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def space(self, height: float) -> None:
        self.pdf.ln(height)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())
