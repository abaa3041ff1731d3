"""Parsed and validated documents, kept for the next request that sends the same, within a byte budget.

Strawberry's ParserCache and ValidationCache bound the number of documents (an `lru_cache`),
not their memory: a parsed document costs about 600 bytes per token, so 512 documents of 1,000
tokens held over 300 MB (and the validation cache kept documents alive after the parser cache
had dropped them). Here one LRU, weighed by the document's length (a token is at least one
character), holds both the document and its validation errors per set of rules, so memory
stays within `DOCUMENT_CACHE_BYTES` whatever clients send.
"""

from __future__ import annotations

from collections.abc import Iterator
from threading import Lock
from typing import Any

from cachetools import LRUCache
from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

# What all cached documents may cost together: a frontend sends a handful of small documents.
DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024
# Measured: a parsed document holds ~600 bytes per token; every token is at least a character.
BYTES_PER_CHARACTER = 600
_ENTRY_BYTES = 2_000  # the entry, its key and a validation result beside the document


class _Entry:
    __slots__ = ("document", "errors", "weight")

    def __init__(self, document: DocumentNode, weight: int) -> None:
        self.document = document
        self.errors: dict[tuple[type[ASTValidationRule], ...], list[GraphQLError]] = {}
        self.weight = weight


_CACHE: LRUCache[tuple[str, tuple[tuple[str, Any], ...]], _Entry] = LRUCache(
    maxsize=DOCUMENT_CACHE_BYTES, getsizeof=lambda entry: entry.weight
)
_LOCK = Lock()  # graphql-core parses in worker threads too (sync execution in `recapql query`)


class DocumentCache(SchemaExtension):
    """Parse and validate each distinct document once, as long as it fits the budget."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        key = (query, tuple(sorted(context.parse_options.items())))
        with _LOCK:
            entry = _CACHE.get(key)
        if entry is None:
            document = parse(query, **context.parse_options)
            weight = len(query) * BYTES_PER_CHARACTER + _ENTRY_BYTES
            entry = _Entry(document, weight)
            if weight <= DOCUMENT_CACHE_BYTES // 8:  # one huge document must not empty the cache
                with _LOCK:
                    _CACHE[key] = entry
        context.graphql_document = entry.document
        self._entry = entry
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        entry: _Entry | None = getattr(self, "_entry", None)
        rules = context.validation_rules
        document = context.graphql_document
        assert document is not None  # validation runs on a parsed document
        if entry is None or document is not entry.document:
            context.pre_execution_errors = validate_document(context.schema._schema, document, rules)
            yield
            return
        errors = entry.errors.get(rules)
        if errors is None:
            errors = entry.errors[rules] = validate_document(context.schema._schema, document, rules)
        context.pre_execution_errors = errors
        yield
