"""Recurring questions: similar knelpunten for a draft, and themes with counts."""

from datetime import date

import pandas as pd

from tests.support.dagen import DEMO_UNTIL
from wijkleer import themas


def _frame(rows):
    base = dict(categorie="wachtlijst", status="ontvangen", team="WT Noord", gemeente="Dijkhoven",
                aantal_casussen=2, datum=date(2026, 1, 1))  # fmt: skip
    return pd.DataFrame([base | {"id": f"k{i}"} | row for i, row in enumerate(rows)])


GGZ = dict(titel="Wachtlijst specialistische GGZ blokkeert opschalen",
           omschrijving="De wachttijd voor specialistische GGZ is meer dan een half jaar.")  # fmt: skip
TAXI = dict(titel="Taxi naar dagbesteding komt te laat", omschrijving="Het Wmo-vervoer is structureel te laat.",
            categorie="samenwerking")  # fmt: skip


def test_words_are_stemmed_and_stopwords_dropped():
    assert themas.words("De wachtlijsten voor de specialistische GGZ") == ["wachtlijst", "specialistisch", "ggz"]


def test_similar_finds_the_resembling_knelpunt_first():
    frame = _frame([GGZ, TAXI, GGZ | {"status": "samengevoegd"}])
    found = themas.similar(frame, "Lange wachttijd GGZ", "Jongere wacht maanden op specialistische ggz", "wachtlijst")
    assert [m.id for m in found] == ["k0"]  # the merged copy is left out, the taxi one does not resemble
    assert 0 < found[0].score <= 1.2


def test_similar_needs_text_and_candidates():
    assert themas.similar(_frame([GGZ]), "", "  ") == []
    assert themas.similar(_frame([GGZ]).iloc[0:0], "GGZ", "wachtlijst") == []


def test_themes_group_and_count():
    frame = _frame([GGZ, GGZ | {"team": "WT Zuid", "aantal_casussen": 5, "datum": date(2026, 3, 1)}, TAXI,
                    GGZ | {"status": "getoetst"}])  # fmt: skip
    found = themas.themes(frame, min_size=2, open_statuses={"ontvangen"})
    assert len(found) == 1
    [theme] = found
    assert (theme.knelpunten, theme.casussen, theme.teams, theme.open) == (3, 9, 2, 2)
    assert theme.laatste == date(2026, 3, 1) and theme.titel == GGZ["titel"]


def test_themes_in_the_demo_region(tmp_path):
    from wijkleer import demo
    from wijkleer.model import Knelpunt
    from wijkleer.store import Store

    with Store(str(tmp_path / "d.db")) as store:
        demo.generate(store, demo.Plan(size=300, until=DEMO_UNTIL))
        frame = store.frame(Knelpunt, gemeente="Dijkhoven")
    found = themas.themes(frame, min_size=3)
    assert found and found[0].knelpunten >= 3
    assert sum(th.knelpunten for th in found) <= len(frame)
