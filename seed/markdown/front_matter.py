"""YAML front matter: the `---` block a Markdown post starts with, parsed by PyYAML with its lines.

Hugo and Jekyll posts carry their metadata this way. Values come from `yaml.safe_load`; the
line of each key comes from the composed node tree, so a problem can name its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_FENCE = "---"


class FrontMatterError(ValueError):
    """Front matter that cannot be read; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The parsed mapping, where each key path starts, and where the Markdown body begins."""

    values: dict[str, Any]
    lines: dict[tuple[str, ...], int]
    body: str
    body_line: int  # the 1-based line of the body's first line in the file
    end_line: int  # the line of the closing fence

    def line_of(self, *path: str) -> int:
        """The line of the deepest key of `path` that exists (the opening fence when none does)."""
        for length in range(len(path), 0, -1):
            if path[:length] in self.lines:
                return self.lines[path[:length]]
        return 1


def split_front_matter(text: str) -> FrontMatter:
    """The front matter of `text`; a FrontMatterError when it is missing, unclosed or not YAML."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        raise FrontMatterError(1, "expected YAML front matter: a first line '---', the recap's keys, then '---'")
    try:
        end = next(index for index in range(1, len(lines)) if lines[index].rstrip() in (_FENCE, "..."))
    except StopIteration:
        raise FrontMatterError(1, "the front matter opened on line 1 is never closed with '---'") from None
    source = "\n".join(lines[1:end])
    try:
        values = yaml.safe_load(source)
        node = yaml.compose(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise FrontMatterError(line, f"the front matter is not valid YAML: {problem}") from None
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise FrontMatterError(2, "expected the front matter to be a mapping of keys (title:, recap:, …)")
    key_lines: dict[tuple[str, ...], int] = {}
    _collect_lines(node, (), key_lines)
    return FrontMatter(values, key_lines, "\n".join(lines[end + 1 :]), end + 2, end + 1)


def _collect_lines(node: yaml.Node | None, path: tuple[str, ...], found: dict[tuple[str, ...], int]) -> None:
    # +2: the node's line is 0-based within the YAML, which starts on the file's second line.
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                here = (*path, str(key.value))
                found[here] = key.start_mark.line + 2
                _collect_lines(value, here, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            here = (*path, str(index))
            found[here] = item.start_mark.line + 2
            _collect_lines(item, here, found)
