"""Long texts cut into paragraphs that readers can comment on one at a time.

`split_blocks` cuts rendered, sanitised HTML into its top-level blocks (paragraphs, lists, quotes, headings, code
blocks, tables). Each block gets a key that depends only on its own text: ``p-`` and the first 8 hex digits of the
SHA-256 of the block's whitespace-normalised text, then ``-2``, ``-3`` ... for a repeated identical block. Editing one
paragraph changes only that paragraph's key (its comments then belong to "an earlier version of a paragraph" and stay
in the whole thread); adding, removing or moving other paragraphs changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

PARAGRAPH_KEY = re.compile(r"^p-[0-9a-f]{8}(-[0-9]{1,4})?$")
_VOID = {"br", "hr", "img", "wbr", "input", "meta", "link"}
_SPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Block:
    key: str
    html: str
    text: str


class _Splitter(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self.line_starts.append(index + 1)
        self.depth = 0
        self.start = 0
        self.spans: list[tuple[int, int]] = []
        self.text_start: int | None = None

    def _where(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._where()
        if self.depth == 0:
            self._flush_text(here)
            self.start = here
        if tag in _VOID:
            if self.depth == 0:
                end = self.source.index(">", here) + 1
                self.spans.append((here, end))
            return
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        here = self._where()
        if self.depth == 0:
            self._flush_text(here)
            self.spans.append((here, self.source.index(">", here) + 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            here = self._where()
            self.spans.append((self.start, self.source.index(">", here) + 1))

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and data.strip() and self.text_start is None:
            self.text_start = self._where()

    def _flush_text(self, end: int) -> None:
        if self.text_start is not None:
            self.spans.append((self.text_start, end))
            self.text_start = None

    def finish(self) -> list[tuple[int, int]]:
        self.close()
        self._flush_text(len(self.source))
        if self.depth:  # unbalanced markup (not from our renderer): keep the rest as one block
            self.spans.append((self.start, len(self.source)))
        return self.spans


def block_text(html: str) -> str:
    return _SPACE.sub(" ", _TAGS.sub(" ", html)).strip()


def split_blocks(html: str) -> list[Block]:
    """The top-level blocks of sanitised HTML, each with its stable key."""
    source = str(html or "")
    splitter = _Splitter(source)
    splitter.feed(source)
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for start, end in splitter.finish():
        piece = source[start:end].strip()
        if not piece:
            continue
        text = block_text(piece)
        digest = hashlib.sha256((text or piece).encode()).hexdigest()[:8]
        base = f"p-{digest}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        blocks.append(Block(key=key, html=piece, text=text))
    return blocks


def is_paragraph_key(value: str) -> bool:
    return bool(PARAGRAPH_KEY.match(value or ""))
