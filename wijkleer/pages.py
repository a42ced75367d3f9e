"""The server's own small pages (busy, not found, refused, error, the list of workbooks): Dutch, from the text
catalogue, with their style inline and no request to any other server (Voilà's own pages load Font Awesome from
a CDN and speak English)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from markupsafe import Markup

from wijkleer.text import t

START_PAGE = "voila/render/start.ipynb"

_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a;
       max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.5rem; }
a { color: #0b57a4; text-decoration: underline; }
li { margin-bottom: 0.4rem; }
"""


def page(title: str, text: str, links: Sequence[tuple[str, str]] = (), as_list: bool = False) -> str:
    """A whole HTML page: a heading, a sentence, and links (``(href, label)``), every string escaped."""
    items = [f'<a href="{escape(href)}">{escape(label)}</a>' for href, label in links]
    if as_list:
        shown = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""
    else:
        shown = "".join(f"<p>{item}</p>" for item in items)
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} – wijkleer</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n{shown}\n</main>\n</body>\n</html>\n"
    )


def start_url(base_url: str = "/") -> str:
    return base_url.rstrip("/") + "/" + START_PAGE


def busy(retry_url: str) -> str:
    return page(t("server.druk_titel"), t("server.druk_tekst"), [(retry_url, t("server.opnieuw"))])


def not_found(base_url: str = "/") -> str:
    return page(
        t("server.niet_gevonden_titel"),
        t("server.niet_gevonden_tekst"),
        [(start_url(base_url), t("server.naar_start"))],
    )


def refused() -> str:
    return page(t("server.geweigerd_titel"), t("server.geweigerd_tekst"))


def error(status_code: int, base_url: str = "/") -> str:
    """The page for any error status: not found and busy have their own words, the rest a general sentence."""
    if status_code == 404:
        return not_found(base_url)
    if status_code == 503:
        return busy(start_url(base_url))
    return page(
        t("server.fout_titel"),
        t("server.fout_tekst", code=status_code),
        [(start_url(base_url), t("server.naar_start"))],
    )


def workbooks(names: list[str], base_url: str = "/") -> str:
    """The list of notebooks in a served folder that has no start page (e.g. ``--map exercises``)."""
    links = [(base_url.rstrip("/") + "/voila/render/" + quote(name), name.removesuffix(".ipynb")) for name in names]
    text = t("server.werkboeken_tekst") if names else t("server.geen_werkboeken")
    return page(t("server.werkboeken_titel"), text, links, as_list=True)


def template_error(status_code: int, base_url: str = "/") -> Markup:
    """For the ``404.html``/``error.html`` templates that Voilà's and Jupyter's handlers render on an error."""
    return Markup(error(int(status_code), base_url or "/"))
