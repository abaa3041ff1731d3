"""`key: value` lists: the metadata a recap file gives right after a heading or under an item.

A day's and a session's metadata is the leading run of such items in the first list after the
heading (the takeaways may follow in the same list); a project's or a recommendation's is a
nested list of them. A value wholly in `*emphasis*` is the curator's own words. `missing` may
repeat; any other key is given once. Two keys mean the same for every record: `slug:` (else made
from the name) and `missing:` (`<field> — <reason>`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from seed.markdown.blocks import Item, ListBlock, describe
from seed.recap_format.vocabulary import BAD_SLUG, SEPARATORS, slugify
from store.records import Missing

_META_ITEM = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{0,23}):\s*(?P<value>.*)$", re.DOTALL)
REPEATABLE = frozenset({"missing"})

Report = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class Value:
    """One metadata value: its text, its line, and whether it is the curator's (emphasised) words."""

    text: str
    line: int
    curated: bool = False


@dataclass
class Metadata:
    """The values by key; `missing` and any other repeatable key keep every value."""

    values: dict[str, Value] = field(default_factory=dict)
    repeated: dict[str, list[Value]] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str) -> Value | None:
        return self.values.get(key)

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        return value.text if value is not None and value.text else None

    def line(self, key: str, default: int) -> int:
        value = self.values.get(key)
        return value.line if value is not None else default

    def names(self, key: str) -> tuple[str, ...]:
        """A comma-separated value as its names, each once, in order."""
        value = self.values.get(key)
        if value is None:
            return ()
        return tuple(dict.fromkeys(name.strip() for name in value.text.split(",") if name.strip()))

    def all(self, key: str) -> list[Value]:
        return self.repeated.get(key, [])


def key_value(item: Item) -> tuple[str, Value] | None:
    """An item as `key: value` (the key lowercased), or None when it is not one."""
    inline = item.inline
    matched = _META_ITEM.match(inline.text) if inline is not None and not item.children else None
    if matched is None or inline is None:
        return None
    text = matched.group("value").strip()
    curated = bool(text) and inline.emphasised_after(matched.start("value"))
    return matched.group("key").strip().casefold(), Value(text, item.line, curated)


def leading_metadata(
    block: ListBlock, keys: Sequence[str], what: str, report: Report
) -> tuple[Metadata, tuple[Item, ...]]:
    """The list's leading `key: value` items with known keys, and the items after them.

    An unknown key after a known one is an error: a typo (`speaker:`) would otherwise be content.
    """
    found = Metadata()
    for position, item in enumerate(block.items):
        pair = key_value(item) if not block.ordered else None
        if pair is None or (pair[0] not in keys and not found.values and not found.repeated):
            return found, block.items[position:]
        _add(found, pair, keys, what, report)
    return found, ()


def nested_metadata(block: ListBlock, keys: Sequence[str], what: str, report: Report) -> Metadata | None:
    """A nested list as metadata, or None when any item is not `key: value` (then it is not metadata)."""
    if block.ordered or not block.items:
        return None
    pairs = [key_value(item) for item in block.items]
    if any(pair is None for pair in pairs):
        return None
    found = Metadata()
    for pair in pairs:
        assert pair is not None
        _add(found, pair, keys, what, report)
    return found


def item_metadata(item: Item, keys: Sequence[str], what: str, report: Report, warn: Report) -> Metadata:
    """The metadata nested under a list item (a project's, a recommendation's); anything else is ignored."""
    found = Metadata()
    for child in item.children:
        meta = nested_metadata(child, keys, what, report) if isinstance(child, ListBlock) else None
        if meta is None:
            allowed = ", ".join(keys)
            warn(child.line, f"ignored: {describe(child)} under a {what} (only `key: value` items: {allowed})")
            continue
        found.values.update(meta.values)
        for key, values in meta.repeated.items():
            found.repeated.setdefault(key, []).extend(values)
    return found


def missing_facts(meta: Metadata, what: str, report: Report) -> tuple[Missing, ...]:
    """Every `missing: <field> — <reason>` of a record."""
    found = []
    for value in meta.all("missing"):
        field_name, reason = _split(value.text)
        if not field_name or not reason:
            report(value.line, f"expected a {what}'s `missing:` as `<field> — <reason>`")
            continue
        found.append(Missing(field_name, reason))
    return tuple(found)


def slug_of(meta: Metadata, name: str, line: int, report: Report) -> str:
    """The record's `slug:`, checked; without one, the slug made from its `name` (on `line`)."""
    value = meta.get("slug")
    if value is not None:
        if not value.text or slugify(value.text) != value.text:
            report(value.line, BAD_SLUG.format(slug=value.text))
        return value.text
    slug = slugify(name)
    if not slug:
        report(line, f"cannot make a slug from {name!r}: give one with `slug:`")
    return slug


def _split(text: str) -> tuple[str, str]:
    for separator in SEPARATORS:
        if separator in text:
            head, tail = text.split(separator, 1)
            return head.strip(), tail.strip()
    return text.strip(), ""


def _add(found: Metadata, pair: tuple[str, Value], keys: Sequence[str], what: str, report: Report) -> None:
    key, value = pair
    if key not in keys:
        report(value.line, f"unknown {what} key `{key}:` (known: {', '.join(keys)})")
    elif key in REPEATABLE:
        found.repeated.setdefault(key, []).append(value)
    elif key in found.values:
        report(value.line, f"a second `{key}:`: the first is on line {found.values[key].line}")
    else:
        found.values[key] = value
