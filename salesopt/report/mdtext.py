"""User text inside Markdown, kept as text: the characters that would make a link, an image,
an autolink, raw HTML or a table cell break are backslash-escaped, so ``![](http://...)`` in an
answer, the title or the company shows as typed and nothing is fetched by a viewer (the app's
pages, the plan's Markdown, HTML and PDF)."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\\[\]<>|`])")


def md_text(text: str) -> str:
    """``![x](http://a/b.png)`` -> ``!\\[x\\](http://a/b.png)``: Markdown renders it as the text typed."""
    return _SPECIAL.sub(r"\\\1", text)
