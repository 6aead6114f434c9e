"""The plan as one document: cover, table of contents, draft banner and body in one HTML page that
both the HTML download and the PDF (WeasyPrint, same HTML, print CSS) use, so the two formats
share one layout and one palette instead of being drawn twice.

The page is self-contained (CSS inline, charts inline as SVG) and every text that came from the
assessment is escaped: nothing a user typed becomes markup.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from importlib import resources

APP_NAME = "Sales Process Optimization"
PLAN_TITLE = "Sales Process Optimization Plan"
PDF_LIBRARIES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core")
# the page loads nothing: styles inline, figures inline SVG or data: images, no script at all
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
HEADING = re.compile(r"<(h[1-3])>(.*?)</\1>", re.S)


@dataclass(frozen=True)
class DocumentMeta:
    """What the cover, running header and draft banner say. ``sections_complete`` of
    ``sections_total`` filled sections makes a draft while it is below the total."""

    client: str
    title: str = PLAN_TITLE
    date: datetime.date | None = None
    prepared_by: str = APP_NAME
    sections_complete: int | None = None
    sections_total: int | None = None

    @property
    def is_draft(self) -> bool:
        """True while the plan knows it has sections still missing."""
        return (
            self.sections_complete is not None
            and self.sections_total is not None
            and self.sections_complete < self.sections_total
        )


def meta_for(title: str, meta: DocumentMeta | None) -> DocumentMeta:
    """The meta to print: the caller's, or one made from the old ``title`` argument (the client name)."""
    return meta if meta is not None else DocumentMeta(client=title)


def print_css() -> str:
    """The one stylesheet for screen and print (salesopt/report/document.css)."""
    return resources.files("salesopt.report").joinpath("document.css").read_text(encoding="utf-8")


def _slug(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", html.unescape(re.sub(r"<[^>]+>", "", text)).lower()).strip("-") or "section"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def split_lead(body: str) -> tuple[str, str]:
    """A leading h1 (the Markdown's own title) is dropped, as the cover carries the title; the
    paragraph right under it (what the plan rests on) moves to the cover. Returns (lead, body)."""
    m = re.match(r"\s*<h1>.*?</h1>\s*(<p>.*?</p>)?\s*", body, flags=re.S)
    if not m:
        return "", body
    return (m.group(1) or "").replace("<p>", '<p class="lead">', 1), body[m.end() :]


def number_headings(body: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Give every h2/h3 an id; return the body and its outline as (level, id, inner html)."""
    taken: set[str] = set()
    outline: list[tuple[int, str, str]] = []

    def add_id(m: re.Match[str]) -> str:
        tag, inner = m.group(1), m.group(2)
        slug = _slug(inner, taken)
        outline.append((int(tag[1]), slug, inner))
        return f'<{tag} id="{slug}">{inner}</{tag}>'

    return HEADING.sub(add_id, body), outline


def cover(meta: DocumentMeta, lead: str = "") -> str:
    """The first page: client, title, date, who prepared it; the draft banner when sections are missing."""
    when = (meta.date or datetime.date.today()).strftime("%-d %B %Y")
    return (
        '<section class="cover">'
        f'<p class="client">{html.escape(meta.client)}</p>'
        f"<h1>{html.escape(meta.title)}</h1>"
        f'<p class="date">{html.escape(when)}</p>'
        f'<p class="by">Prepared by {html.escape(meta.prepared_by)}</p>'
        f"{lead}"
        f"{draft_banner(meta)}"
        "</section>"
    )


def draft_banner(meta: DocumentMeta) -> str:
    """'Draft: N of M sections complete' while the plan has missing sections, else nothing."""
    if not meta.is_draft:
        return ""
    n, m = meta.sections_complete, meta.sections_total
    return (
        f'<p class="draft" role="note"><strong>Draft</strong>: {n} of {m} sections complete. '
        "The missing sections say which stage of the assessment fills them.</p>"
    )


def contents(outline: list[tuple[int, str, str]]) -> str:
    """The table of contents: sections and their subsections, linked; page numbers in print (CSS)."""
    items: list[str] = []
    open_sub = False
    for level, slug, inner in outline:
        link = f'<a href="#{slug}">{inner}</a>'
        if level == 2:
            if open_sub:
                items.append("</ol></li>")
                open_sub = False
            elif items:
                items.append("</li>")
            items.append(f'<li class="toc2">{link}')
        else:
            if not open_sub:
                items.append("<ol>")
                open_sub = True
            items.append(f'<li class="toc3">{link}</li>')
    if items:
        items.append("</ol></li>" if open_sub else "</li>")
    return f'<nav class="toc" aria-label="Contents"><h2 class="toc-title">Contents</h2><ol>{"".join(items)}</ol></nav>'


def page(body: str, meta: DocumentMeta) -> str:
    """The whole document: cover, contents and body in one self-contained HTML page."""
    lead, body = split_lead(body)
    body, outline = number_headings(body)
    head_title = f"{meta.title}: {meta.client}"
    running = f'<div class="running" aria-hidden="true">{html.escape(meta.client)} · {html.escape(meta.title)}</div>'
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(head_title)}</title>"
        f'<meta name="author" content="{html.escape(meta.prepared_by)}">'
        f"<style>{print_css()}</style></head><body>\n"
        f"{cover(meta, lead)}{running}{contents(outline)}<main>\n{body}</main></body></html>\n"
    )
