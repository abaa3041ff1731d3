"""A Markdown document as a flat run of blocks, each with the line it starts on.

markdown-it-py (CommonMark) does the parsing; this module only folds its token stream into the
few shapes a recap is written in: headings, paragraphs, and lists whose items hold a first
paragraph and nested lists. Inline Markdown becomes plain text, with the links it held and
whether the whole text was emphasised kept beside it. Nothing here reads the raw text itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True, slots=True)
class Link:
    """A Markdown link: its text and where it points."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Inline:
    """A run of inline Markdown as plain text, its links, and which part of it ends emphasised."""

    text: str
    links: tuple[Link, ...] = ()
    # The (start, end) offsets in `text` of each top-level `*emphasis*` (or `_emphasis_`) run.
    emphases: tuple[tuple[int, int], ...] = ()
    strong_prefix: str | None = None  # the text of a leading **strong** run, e.g. a project's name
    strong_link: Link | None = None  # the link inside that run, if it held one

    @property
    def emphasised(self) -> bool:
        """True when the whole text is one `*emphasis*` (or `_emphasis_`)."""
        return self.emphasised_between(0, len(self.text))

    def emphasised_after(self, offset: int) -> bool:
        """True when everything of `text` from `offset` on (white space aside) is one emphasis."""
        return self.emphasised_between(offset, len(self.text))

    def emphasised_between(self, start: int, end: int) -> bool:
        """True when `text[start:end]` (white space aside) is exactly one emphasis run."""
        words = self.text[start:end]
        first = start + len(words) - len(words.lstrip())
        last = end - (len(words) - len(words.rstrip()))
        return first < last and (first, last) in self.emphases


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    inline: Inline
    line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    inline: Inline
    line: int


@dataclass(frozen=True, slots=True)
class Item:
    """One list item: its first paragraph (None when it starts with another block) and what follows."""

    inline: Inline | None
    line: int
    children: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[Item, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Other:
    """Any other block (a quote, code, a table, HTML, a rule): kept only to be reported."""

    kind: str
    line: int


Block = Heading | Paragraph | ListBlock | Other


def parse_blocks(text: str, first_line: int = 1) -> tuple[Block, ...]:
    """The top-level blocks of `text`; lines count from `first_line` (the text may follow front matter)."""
    tokens = _PARSER.parse(text)
    blocks, _ = _blocks(tokens, 0, first_line - 1, until=None)
    return tuple(blocks)


def _line(token: Token, offset: int) -> int:
    return (token.map[0] if token.map else 0) + 1 + offset


def _blocks(tokens: Sequence[Token], start: int, offset: int, until: str | None) -> tuple[list[Block], int]:
    """Blocks from `tokens[start]` up to the closing token `until` (None: the end); and where it stopped."""
    found: list[Block] = []
    index = start
    while index < len(tokens):
        token = tokens[index]
        if until is not None and token.type == until:
            return found, index + 1
        if token.type == "heading_open":
            found.append(Heading(int(token.tag[1]), inline_of(tokens[index + 1]), _line(token, offset)))
            index += 3
        elif token.type == "paragraph_open":
            found.append(Paragraph(inline_of(tokens[index + 1]), _line(token, offset)))
            index += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            closing = token.type.replace("_open", "_close")
            items, index = _items(tokens, index + 1, offset, closing)
            found.append(ListBlock(token.type == "ordered_list_open", tuple(items), _line(token, offset)))
        else:
            found.append(Other(token.type.removesuffix("_open"), _line(token, offset)))
            index = _skip(tokens, index)
    return found, index


def _items(tokens: Sequence[Token], index: int, offset: int, closing: str) -> tuple[list[Item], int]:
    items: list[Item] = []
    while tokens[index].type != closing:
        opening = tokens[index]  # list_item_open
        children, index = _blocks(tokens, index + 1, offset, until="list_item_close")
        inline = None
        if children and isinstance(children[0], Paragraph):
            inline = children[0].inline
            children = children[1:]
        items.append(Item(inline, _line(opening, offset), tuple(children)))
    return items, index + 1


def _skip(tokens: Sequence[Token], index: int) -> int:
    """The index after the block that starts at `index` (an opening token with its closing, or one token)."""
    token = tokens[index]
    if token.nesting != 1:
        return index + 1
    depth = 0
    while index < len(tokens):
        depth += tokens[index].nesting
        index += 1
        if depth == 0:
            break
    return index


def inline_of(token: Token) -> Inline:
    """Plain text of an inline token, with its links, emphasis and leading strong run."""
    children = token.children or []
    parts: list[str] = []
    links: list[Link] = []
    link_url: str | None = None
    link_text: list[str] = []
    strong_depth = 0
    strong_text: list[str] | None = None
    strong_link: Link | None = None
    strong_done = False
    em_depth = 0
    em_start = 0
    spans: list[tuple[int, int]] = []
    for child in children:
        kind = child.type
        text = ""
        if kind == "text" or kind == "code_inline":
            text = child.content
        elif kind in ("softbreak", "hardbreak"):
            text = " "
        elif kind == "html_inline":
            text = child.content
        elif kind == "link_open":
            link_url = str(child.attrGet("href") or "")
            link_text = []
        elif kind == "link_close":
            link = Link("".join(link_text), link_url or "")
            links.append(link)
            if strong_depth and strong_text is not None:
                strong_link = link
            link_url = None
        elif kind == "strong_open":
            if not parts and not strong_done and strong_text is None:
                strong_text = []
            strong_depth += 1
        elif kind == "strong_close":
            strong_depth -= 1
            if strong_depth == 0 and strong_text is not None:
                strong_done = True
        elif kind == "em_open":
            if em_depth == 0:
                em_start = sum(map(len, parts))
            em_depth += 1
        elif kind == "em_close":
            em_depth -= 1
            if em_depth == 0:
                spans.append((em_start, sum(map(len, parts))))
        elif kind == "image":
            text = child.content
        if text:
            parts.append(text)
            if link_url is not None:
                link_text.append(text)
            if strong_depth and strong_text is not None and not strong_done:
                strong_text.append(text)
    raw = "".join(parts)
    plain = raw.strip()
    shift = len(raw) - len(raw.lstrip())
    emphases = []
    for start, end in spans:
        # Each span trimmed of the white space inside it, in the stripped text's offsets.
        words = raw[start:end]
        first = start + len(words) - len(words.lstrip()) - shift
        last = end - (len(words) - len(words.rstrip())) - shift
        if first < last:
            emphases.append((first, last))
    return Inline(
        text=plain,
        links=tuple(links),
        emphases=tuple(emphases),
        strong_prefix="".join(strong_text).strip() if strong_text is not None and strong_done else None,
        strong_link=strong_link,
    )


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the blocks under it, up to the next heading of the same or a higher level."""

    heading: Heading
    blocks: tuple[Block, ...] = field(default=())


def sections(blocks: Sequence[Block], level: int) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """The blocks before the first heading of `level`, and each such heading's section."""
    before: list[Block] = []
    found: list[tuple[Heading, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == level:
            found.append((block, []))
            continue
        (found[-1][1] if found else before).append(block)
    return tuple(before), tuple(Section(heading, tuple(body)) for heading, body in found)


def describe(block: Block) -> str:
    """The block as a warning names it: `a paragraph`, `a level-4 heading`, `a code block`, …"""
    if isinstance(block, Paragraph):
        return "a paragraph"
    if isinstance(block, ListBlock):
        return "a list"
    if isinstance(block, Heading):
        return f"a level-{block.level} heading"
    assert isinstance(block, Other)
    return {"blockquote": "a quotation", "fence": "a code block", "code_block": "a code block", "hr": "a rule"}.get(
        block.kind, f"a {block.kind.replace('_', ' ')}"
    )
