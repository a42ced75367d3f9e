"""Recurring questions: which knelpunten resemble a new one, and which themes keep coming back.

Teams should notice what recurs across cases and answer it collectively. ``similar`` finds existing
knelpunten in the same municipality that resemble a draft (text similarity, a bonus for the same
category), so the author can add weight to an existing one instead of logging a duplicate. ``themes``
groups knelpunten into recurring themes with counts.

Text similarity is the cosine of TF-IDF vectors over words (lower-cased, stop words removed, a light
Dutch suffix stemmer), computed in plain Python over one municipality's knelpunten at a time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

WORD = re.compile(r"[a-zà-ÿ0-9]+(?:-[a-zà-ÿ0-9]+)*")
_STOPWORDS = """aan al alle als bij dan dat de deze die dit door een en er geen het hier hij hoe hun ik in is je
    kan komen komt maar met meer na naar niet nog of om omdat ons onze ook op over pas per te tot uit
    van veel voor want was wat we wel werd wij wie worden wordt zich zij zijn zo zonder zoals daardoor
    terwijl wanneer waardoor bijvoorbeeld elke ieder iedere eigen andere ander lang lange tijd weken
    maanden team wijkteam inwoners inwoner gezin gezinnen"""
STOPWORDS = frozenset(_STOPWORDS.split())
SUFFIXES = ("heden", "ingen", "ing", "en", "er", "e", "s")
CATEGORY_BONUS = 0.1
SIMILAR_THRESHOLD = 0.25
THEME_THRESHOLD = 0.45
MAX_CANDIDATES = 5000  # the most recent knelpunten of a municipality that a draft is compared with


def _stem(word: str) -> str:
    for suffix in SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """The content words of ``text``, stemmed: what similarity is computed on."""
    return [_stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]


@dataclass
class _Index:
    """TF-IDF vectors (unit length) for a list of documents."""

    vectors: list[dict[str, float]] = field(default_factory=list)
    idf: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: Sequence[str]) -> _Index:
        tokenized = [Counter(words(d)) for d in documents]
        frequency = Counter(term for counts in tokenized for term in counts)
        total = len(documents) + 1
        idf = {term: math.log(total / (1 + df)) + 1 for term, df in frequency.items()}
        index = cls(idf=idf)
        index.vectors = [index._vector(counts) for counts in tokenized]
        return index

    def _vector(self, counts: Counter) -> dict[str, float]:
        weights = {term: (1 + math.log(n)) * self.idf.get(term, 1.0) for term, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {term: w / norm for term, w in weights.items()}

    def vector(self, document: str) -> dict[str, float]:
        return self._vector(Counter(words(document)))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


@dataclass(frozen=True)
class Match:
    """An existing knelpunt that resembles the draft, with a score between 0 and ~1."""

    id: str
    titel: str
    status: str
    team: str
    datum: object
    aantal_casussen: int
    score: float


def _text(row) -> str:
    return f"{row['titel']} {row['titel']} {row['omschrijving']}"  # the title counts double


def similar(candidates, titel: str, omschrijving: str, categorie: str | None = None, limit: int = 5) -> list[Match]:
    """Knelpunten in ``candidates`` (a DataFrame of one municipality) that resemble the draft, best first.

    Merged and withdrawn knelpunten are left out: adding weight to them would go nowhere."""
    if not (titel.strip() or omschrijving.strip()) or candidates.empty:
        return []
    live = candidates[~candidates["status"].isin(["samengevoegd", "ingetrokken"])]
    live = live.sort_values("datum", ascending=False).head(MAX_CANDIDATES)
    rows = live.to_dict("records")
    index = _Index.build([_text(r) for r in rows])
    draft = index.vector(f"{titel} {titel} {omschrijving}")
    scored = []
    for row, vector in zip(rows, index.vectors, strict=True):
        score = cosine(draft, vector) + (CATEGORY_BONUS if categorie and row["categorie"] == categorie else 0.0)
        if score >= SIMILAR_THRESHOLD:
            scored.append(Match(row["id"], row["titel"], row["status"], row["team"], row["datum"],
                                int(row["aantal_casussen"]), round(score, 3)))  # fmt: skip
    scored.sort(key=lambda m: (-m.score, m.id))
    return scored[:limit]


@dataclass
class Theme:
    """A group of knelpunten that are about the same thing."""

    titel: str
    ids: list[str]
    knelpunten: int
    casussen: int
    teams: int
    gemeenten: int
    open: int
    eerste: object
    laatste: object


def themes(frame, min_size: int = 2, open_statuses: Iterable[str] = ()) -> list[Theme]:
    """Group the knelpunten in ``frame`` into recurring themes (largest first).

    Leader clustering in date order: a knelpunt joins the first theme whose first knelpunt it
    resembles (cosine ≥ THEME_THRESHOLD, same category), otherwise it starts a new theme."""
    if frame.empty:
        return []
    rows = frame.sort_values(["datum", "id"]).to_dict("records")
    index = _Index.build([_text(r) for r in rows])
    leaders: list[tuple[int, list[int]]] = []
    by_category: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for slot in by_category.get(row["categorie"], []):
            leader, members = leaders[slot]
            if cosine(index.vectors[i], index.vectors[leader]) >= THEME_THRESHOLD:
                members.append(i)
                break
        else:
            by_category.setdefault(row["categorie"], []).append(len(leaders))
            leaders.append((i, [i]))
    open_set = set(open_statuses)
    found = []
    for leader, members in leaders:
        if len(members) < min_size:
            continue
        group = [rows[m] for m in members]
        titles = Counter(r["titel"] for r in group)
        found.append(
            Theme(
                titel=titles.most_common(1)[0][0] if titles else rows[leader]["titel"],
                ids=[r["id"] for r in group],
                knelpunten=len(group),
                casussen=sum(int(r["aantal_casussen"]) for r in group),
                teams=len({r["team"] for r in group}),
                gemeenten=len({r["gemeente"] for r in group}),
                open=sum(r["status"] in open_set for r in group),
                eerste=min(r["datum"] for r in group),
                laatste=max(r["datum"] for r in group),
            )
        )
    found.sort(key=lambda th: (-th.knelpunten, -th.casussen, th.titel))
    return found
