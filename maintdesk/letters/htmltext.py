"""The plain-text alternative of an HTML email: paragraphs, line breaks, numbered lists."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "section", "header", "footer", "table", "tr", "ul", "ol", "blockquote"}


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.skip = 0
        self.href: str | None = None
        self.labels: list[bool] = []  # per open span: is it a label ("Why") that needs a colon?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title", "head"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag == "ol":
                self.lists.append([1])
            elif tag == "ul":
                self.lists.append([])
        elif tag == "li":
            marker = "-"
            if self.lists and self.lists[-1]:
                marker = f"{self.lists[-1][0]}."
                self.lists[-1][0] += 1
            self.parts.append(f"\n{marker} ")
        elif tag == "a":
            self.href = dict(attrs).get("href")
        elif tag in ("td", "th"):
            self.parts.append("  ")
        elif tag == "span":
            self.labels.append("label" in (dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
            self.parts.append("\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "span" and self.labels:
            if self.labels.pop():
                self.parts.append(": ")
        elif tag == "a" and self.href:
            if self.href.startswith(("http://", "https://")):
                self.parts.append(f" <{self.href}>")
            self.href = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))   # no-break spaces stay


def html_to_text(document: str) -> str:
    maker = _TextMaker()
    maker.feed(document)
    maker.close()
    text = "".join(maker.parts)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
