"""Beleidsoverzicht: what practice signals across teams and municipalities, and how the loop works, for policy
staff — only as protected aggregates. ``gegevens``: the knelpunten as coded arrays, counted fast;
``tabellen``: the protected, labelled tables views and exports receive."""

from wijkleer.overzicht.gegevens import FLAGS, GEEN, MULTI, SINGLE, Filter, Gegevens, record_keys
from wijkleer.overzicht.samenhang import Periode, periode, periodes
from wijkleer.overzicht.tabellen import (
    LOOP_COLUMNS,
    THEME_SAMPLE,
    TREND_BY,
    Kop,
    kop,
    label,
    lus,
    per_dimensie,
    periode_label,
    quarter_label,
    themas,
    trend,
    verwachtingen,
)

__all__ = [
    "FLAGS",
    "GEEN",
    "LOOP_COLUMNS",
    "MULTI",
    "SINGLE",
    "THEME_SAMPLE",
    "TREND_BY",
    "Filter",
    "Gegevens",
    "Kop",
    "Periode",
    "kop",
    "label",
    "lus",
    "per_dimensie",
    "periode",
    "periode_label",
    "periodes",
    "quarter_label",
    "record_keys",
    "themas",
    "trend",
    "verwachtingen",
]
