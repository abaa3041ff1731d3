"""How search reads text: its words, the aliases that stand for other words, and English stems.

The index and the query read text the same way, so a word of the query finds the records that
hold the same word in any of its forms:

1. `words`: runs of letters and digits, case-folded ("CRI-O" is "cri", "o").
2. `expand`: a word listed in `ALIASES` stands for the words it abbreviates ("k8s" reads as
   "kubernetes", "sre" as "site reliability engineering"), in records and queries alike.
3. `stem`: each word's English stem, by the Snowball project's English ("Porter2") stemmer, so
   "runtime" and "runtimes" share the key "runtim". A word holding a digit keeps its form: it is
   a version, a number or a name ("http2", "1.12"), not English.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

# Untyped (no py.typed marker): its two calls are wrapped in typed functions below.
import snowballstemmer  # type: ignore[import-untyped]

_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_ENGLISH = snowballstemmer.stemmer("english")
# A stemmer keeps its word in its own state while it works: one thread at a time.
_STEMMING = threading.Lock()

# Abbreviations the talks and their write-ups use for words a search may spell out, and the
# other way round. Each stands for its words on both sides: "k8s" in a query finds "Kubernetes"
# in a title, and "SRE" in a note is found by "reliability". Only abbreviations of content
# words are listed: "faas" (function as a service) and "ci/cd" are not, since "a", "as" or a
# bare "ci" or "cd" would make nearly every record a hit. docs/api.md lists them for users.
ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "k8s": ("kubernetes",),
        "o11y": ("observability",),
        "a11y": ("accessibility",),
        "i18n": ("internationalization",),
        "l10n": ("localization",),
        "sre": ("site", "reliability", "engineering"),
        "ml": ("machine", "learning"),
        "mtls": ("mutual", "tls"),
    }
)


def words(text: str) -> list[str]:
    """The case-folded words of `text`, in order."""
    return _WORD.findall(text.casefold())


def tokens(text: str) -> list[re.Match[str]]:
    """Where the words of `text` stand in it (as `words` finds them, before case-folding)."""
    return list(_WORD.finditer(text))


def expand(word: str) -> tuple[str, ...]:
    """The words a case-folded `word` stands for: its alias's, or itself."""
    return ALIASES.get(word, (word,))


def search_words(text: str) -> list[str]:
    """The words of `text` with every alias expanded, in order: what search matches against."""
    return [found for word in words(text) for found in expand(word)]


# Query words only (an index stems its vocabulary with `stems`): a few thousand cover any traffic.
@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The English stem of a case-folded word; a word holding a digit is its own stem."""
    if _DIGIT.search(word):
        return word
    with _STEMMING:
        return str(_ENGLISH.stemWord(word))


def stems(vocabulary: list[str]) -> list[str]:
    """`stem` of each of many words at once (one call into the stemmer: building an index)."""
    english = [word for word in vocabulary if not _DIGIT.search(word)]
    with _STEMMING:
        found: dict[str, str] = dict(zip(english, map(str, _ENGLISH.stemWords(english)), strict=True))
    return [found.get(word, word) for word in vocabulary]
