"""The recap itself and its days: the fixed frame every other record hangs from."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from store import Store
from store.records import Day, Recap


def get_recap(store: Store) -> Recap:
    return store.recap


def list_days(store: Store) -> Sequence[Day]:
    """The event's days, ordered by date."""
    return store.days


def get_day(store: Store, date: datetime.date) -> Day | None:
    return store.day_by_date.get(date)
