from datetime import date, timedelta

import pytest

from wijkleer.errors import WijkleerError
from wijkleer.model import Beoordeling, Deelnemer, Knelpunt, Verwachting


def test_valid_knelpunt_gets_client_id_and_starts_signalled(make_knelpunt):
    knelpunt = make_knelpunt()
    assert len(knelpunt.id) == 36
    assert knelpunt.status == "gesignaleerd"
    assert make_knelpunt().id != knelpunt.id


def test_every_bad_field_gets_a_dutch_message_and_a_hint():
    with pytest.raises(WijkleerError) as caught:
        Knelpunt.make(
            titel="",
            wetten=[],
            categorie="onzin",
            ernst="hoog",
            aantal_casussen="drie",
            bron="casus",
            team="T",
            wijk="W",
            gemeente="G",
            datum="31-02-2026",
        )
    fields = caught.value.fields
    assert fields["titel"] == "Vul dit veld in."
    assert fields["omschrijving"] == "Vul dit veld in."
    assert fields["wetten"] == "Kies er minstens één."
    assert fields["categorie"] == "'onzin' is geen bekende categorie."
    assert fields["aantal_casussen"] == "Vul een heel getal in."
    assert fields["datum"].startswith("Vul een geldige datum in")
    assert caught.value.hint and "Probeer" in str(caught.value)
    assert "titel: Vul dit veld in." in caught.value.message


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"aantal_casussen": 0}, "aantal_casussen", "Dit moet minstens 1 zijn."),
        ({"aantal_casussen": 10001}, "aantal_casussen", "Dit mag hoogstens 10000 zijn."),
        ({"titel": "x" * 121}, "titel", "Dit is te lang: maximaal 120 tekens."),
        ({"datum": date.today() + timedelta(days=1)}, "datum", "Deze datum ligt in de toekomst."),
        ({"datum": date(2014, 12, 31)}, "datum", "Deze datum ligt vóór 01-01-2015."),
        ({"wetten": ["wmo", "wmo"]}, "wetten", "Je hebt iets twee keer gekozen."),
        ({"leefgebieden": ["maan"]}, "leefgebieden", "'maan' is geen bekend leefgebied."),
        ({"ernst": "heel erg"}, "ernst", "'heel erg' is geen bekende ernst."),
        ({"status": "klaar"}, "status", "Kies een van de mogelijkheden uit de lijst."),
        ({"onbekend": 1}, "onbekend", "Dit veld kent wijkleer niet."),
    ],
)
def test_field_rules(make_knelpunt, changes, field, message):
    with pytest.raises(WijkleerError) as caught:
        make_knelpunt(**changes)
    assert caught.value.fields == {field: message}


def test_dutch_dates_and_comma_lists_are_understood(make_knelpunt):
    knelpunt = make_knelpunt(datum="2-3-2026", wetten="wmo, jeugd", leefgebieden="")
    assert knelpunt.datum == date(2026, 3, 2)
    assert knelpunt.wetten == ["wmo", "jeugd"]
    assert knelpunt.leefgebieden == []


def test_text_is_stripped(make_knelpunt):
    assert make_knelpunt(titel="  Wachtlijst GGZ  ").titel == "Wachtlijst GGZ"


def test_role_must_be_known():
    with pytest.raises(WijkleerError) as caught:
        Deelnemer.make(kring_id="k1", naam="Anouk", rol="directeur")
    assert caught.value.fields == {"rol": "'directeur' is geen bekende rol."}


def test_adjusted_expectation_needs_the_new_wording():
    with pytest.raises(WijkleerError) as caught:
        Verwachting.make(kring_id="k1", belanghebbende="bestuur", tekst="Preventief werken", uitkomst="bijgesteld")
    assert caught.value.fields == {"herziene_tekst": "Schrijf op hoe de bijgestelde verwachting nu luidt."}
    kept = Verwachting.make(
        kring_id="k1",
        belanghebbende="bestuur",
        tekst="Preventief werken",
        uitkomst="bijgesteld",
        herziene_tekst="Preventief werken in twee wijken",
    )
    assert kept.herziene_tekst == "Preventief werken in twee wijken"


@pytest.mark.parametrize("score", [0, 6, "veel"])
def test_ratings_are_one_to_five(score):
    with pytest.raises(WijkleerError) as caught:
        Beoordeling.make(verwachting_id="v1", rol="beleid", belang=score, haalbaarheid=3)
    assert set(caught.value.fields) == {"belang"}


def test_ids_cannot_carry_markup():
    with pytest.raises(WijkleerError) as caught:
        Deelnemer.make(id="<script>", kring_id="k1", naam="Bram", rol="beleid")
    assert caught.value.fields == {"id": "Hier staan tekens die niet zijn toegestaan."}
