"""The privacy gate: targets per kind over the labelled Dutch set, BSN/IBAN properties, the form and CLI contracts,
and that nothing the gate finds ends up in a log."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

import wijkleer.privacy
from wijkleer.errors import WijkleerError
from wijkleer.privacy import KINDS, Finding, check_fields, check_lines, privacy_check_main, scan
from wijkleer.privacy.measure import score

HERE = Path(__file__).parent
ROWS = [json.loads(line) for line in (HERE / "labelled_nl.jsonl").read_text(encoding="utf-8").splitlines() if line]
CHECKSUM_KINDS = ("bsn", "iban", "email", "postcode", "phone")


# --- the labelled set ---------------------------------------------------------------------------------------
def test_the_labelled_set_is_large_and_mixed():
    assert len(ROWS) >= 500
    negatives = sum(1 for row in ROWS if not row["kinds"])
    assert 0.5 <= negatives / len(ROWS) <= 0.7
    for kind in KINDS:
        assert sum(kind in row["kinds"] for row in ROWS) >= 30, kind
    assert all(set(row["kinds"]) <= set(KINDS) for row in ROWS)


@pytest.fixture(scope="module")
def scores():
    return score(ROWS)


@pytest.mark.parametrize("kind", CHECKSUM_KINDS)
def test_numbers_and_codes_are_all_found(scores, kind):
    assert scores[kind].recall == 1.0, scores[kind]


@pytest.mark.parametrize("kind", ("name", "address"))
def test_names_and_addresses_are_mostly_found(scores, kind):
    assert scores[kind].recall >= 0.9, scores[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_precision_per_kind(scores, kind):
    assert scores[kind].precision >= 0.9, scores[kind]


# --- properties: BSN and IBAN embedded in Dutch-ish text ---------------------------------------------------
WORDS = [
    "de",
    "het",
    "cliënt",
    "wacht",
    "op",
    "een",
    "besluit",
    "over",
    "huurtoeslag",
    "wijkteam",
    "bij",
    "gemeente",
    "aanvraag",
    "nummer",
    "zie",
    "dossier",
    "en",
    "Wmo",
    "moeder",
    "schulden",
    "bsn",
    "rekening",
    "brief",
]
phrase = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)
opening = st.sampled_from(["", " ", ": ", " (", ", ", " nr. "])
closing = st.sampled_from(["", " ", ").", ", ", ". ", "; "])


@st.composite
def valid_bsn(draw) -> str:
    first = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum(d * w for d, w in zip(first, range(9, 1, -1), strict=True)) % 11
    if check == 10:
        first[0] = (first[0] + 1) % 10
        check = sum(d * w for d, w in zip(first, range(9, 1, -1), strict=True)) % 11
    digits = "".join(map(str, first)) + str(check)
    if check == 10 or not stdnum_bsn.is_valid(digits):
        return "111222333"
    return digits


def bsn_layouts(digits: str) -> list[str]:
    d = digits
    return [
        d,
        f"{d[:3]} {d[3:6]} {d[6:]}",
        f"{d[:4]}.{d[4:6]}.{d[6:]}",
        f"{d[:3]}-{d[3:5]}-{d[5:]}",
        f"{d[:3]}.{d[3:6]}.{d[6:]}",
        f"{d[:3]}-{d[3:6]}-{d[6:]}",
        f"{d[:4]} {d[4:6]} {d[6:]}",
    ]


def _embedded(kind: str, text: str, needle: str) -> list[Finding]:
    return [f for f in scan(text) if f.kind == kind and f.text == needle]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_bsn(), st.integers(0, 6), phrase, opening, closing, phrase)
def test_any_valid_bsn_is_found_in_any_layout(digits, layout, before, open_, close, after):
    number = bsn_layouts(digits)[layout]
    text = f"{before}{open_}{number}{close}{after}"
    assert _embedded("bsn", text, number), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 6), phrase, opening, closing, phrase)
def test_a_nine_digit_number_failing_the_elfproef_is_never_a_bsn(digits, layout, before, open_, close, after):
    if stdnum_bsn.is_valid(digits):
        return
    text = f"{before}{open_}{bsn_layouts(digits)[layout]}{close}{after}"
    assert not [f for f in scan(text) if f.kind == "bsn"], text


BBAN = {
    "NL": st.tuples(
        st.sampled_from(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "BUNQ"]),
        st.text("0123456789", min_size=10, max_size=10),
    ).map("".join),
    "DE": st.text("0123456789", min_size=18, max_size=18),
    "BE": st.text("0123456789", min_size=12, max_size=12),
    "FR": st.text("0123456789", min_size=23, max_size=23),
    "ES": st.text("0123456789", min_size=20, max_size=20),
    "GB": st.tuples(st.sampled_from(["NWBK", "BARC"]), st.text("0123456789", min_size=14, max_size=14)).map("".join),
    "PL": st.text("0123456789", min_size=24, max_size=24),
}


@st.composite
def valid_iban(draw) -> str:
    country = draw(st.sampled_from(sorted(BBAN)))
    bban = draw(BBAN[country])
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    number = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    assert stdnum_iban.is_valid(number, check_country=False)
    return number


@settings(max_examples=300, deadline=None)
@given(valid_iban(), st.sampled_from(["groups", "compact", "lower", "lower groups"]), phrase, opening, closing, phrase)
def test_any_valid_iban_is_found(number, layout, before, open_, close, after):
    if "groups" in layout:
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if "lower" in layout:
        number = number.lower()
    text = f"{before}{open_}{number}{close}{after}"
    assert _embedded("iban", text, number), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeAJKMNLVgrt .,:;-+()@/€0123456789\n'", max_size=200))
def test_offsets_slice_back_and_findings_do_not_overlap(text):
    findings = scan(text)
    for finding in findings:
        assert finding.kind in KINDS
        assert text[finding.start : finding.end] == finding.text
    for first, second in zip(findings, findings[1:], strict=False):
        assert first.end <= second.start


def test_a_bsn_inside_an_iban_is_the_iban():
    found = scan("Rekening NL91ABNA0417164300 graag.")
    assert [(f.kind, f.text) for f in found] == [("iban", "NL91ABNA0417164300")]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Mevrouw De Vries (geb. 12-03-1984) woont op de Dorpsstraat 12, 1234 AB.",
            {"name", "birthdate", "address", "postcode"},
        ),
        ("Het wijkteam Noord overlegde over artikel 12 van de Wmo 2015 en team Oost 3.", set()),
        ("Ordernummer 123456789 en zaak Z-2024-001234 van 01-02-2025, om 09:30, € 1.234,56.", set()),
        ("Bel 06-12345678 of mail j.devries@gemeente.amsterdam", {"phone", "email"}),
        ("", set()),
        # the way people really type
        ("meneer van den berg belt, mail j punt jansen apenstaartje ziggo punt nl", {"name", "email"}),
        ("zoon Kevin: 06.12.34.56.78 of 06–12345678", {"name", "phone"}),
        ("bsn 123 - 456 - 782, pc 3511-tz", {"bsn", "postcode"}),
        ("woont op de kade 210 -III, geboren 3 mrt '82", {"address", "birthdate"}),
        ("mw. hoogendijk (geb 1961) en fam. de jong", {"name", "birthdate"}),
        # what is not personal
        ("Verwezen naar het Antoni van Leeuwenhoek en Albert Heijn doneert; bel 0800-1234 of 088-1234567.", set()),
        ("De Jan Steenstraat en het rapport-Van Dam; 1800 HH; jongeren geboren na 2005; info@wijkteam.nl", set()),
        ("Postbus 8, 3300 AA Dordrecht; de consulent van Werk en Inkomen; De cliënt woont al 20 jaar hier.", set()),
        ("meneer Hans Anders (ja echt, zo heet hij) belde", {"name"}),
    ],
)
def test_examples(text, kinds):
    assert {f.kind for f in scan(text)} == kinds


# --- the form: check_fields ---------------------------------------------------------------------------------
def test_check_fields_holds_the_entry_with_a_message_per_field():
    fields = {
        "titel": "Huurtoeslag stopt bij samenwonen",
        "omschrijving": "Cliënt met BSN 123 456 782 en mevrouw De Vries wacht al maanden.",
        "toelichting": "Bel 06-12345678.",
    }
    with pytest.raises(WijkleerError) as caught:
        check_fields(fields)
    error = caught.value
    assert set(error.fields) == {"omschrijving", "toelichting"}
    message = error.fields["omschrijving"]
    assert "een BSN ('123 456 782', teken 16–26)" in message
    assert "een naam ('mevrouw De Vries'" in message
    assert "Herschrijf" in message
    assert "telefoonnummer" in error.fields["toelichting"]
    assert error.hint
    # the overall message is safe to show anywhere: it does not repeat what was found
    assert "123" not in error.message and "Vries" not in error.message


def test_check_fields_lets_clean_text_through():
    check_fields(
        {"titel": "Wachtlijst GGZ", "omschrijving": "Team Noord 3 ziet dit in week 12 bij 15% van de casussen."}
    )


def test_every_kind_has_a_dutch_label():
    labels = {kind: Finding(kind, 0, 1, "x").label for kind in KINDS}
    assert labels["bsn"] == "een BSN"
    assert labels["iban"] == "een IBAN (rekeningnummer)"
    assert all(label.startswith("een ") for label in labels.values())


def test_a_finding_does_not_show_its_text_in_repr():
    finding = scan("BSN 123456782")[0]
    assert "123456782" not in repr(finding)


# --- the CLI contract -----------------------------------------------------------------------------------------
def test_check_lines_matches_the_contract():
    lines = ["Bel 06-12345678 of mail a@b.nl", "", "Niets bijzonders in week 12.", "BSN 123456782 van J. Jansen"]
    assert list(check_lines(lines)) == [
        {"line": 1, "personal_data": True, "kinds": ["email", "phone"]},
        {"line": 2, "personal_data": False, "kinds": []},
        {"line": 3, "personal_data": False, "kinds": []},
        {"line": 4, "personal_data": True, "kinds": ["bsn", "name"]},
    ]


def test_privacy_check_main_reads_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "teksten.txt"
    path.write_bytes("\ufeffMevrouw Öztürk belde.\r\n\r\nGeen gegevens.\r\n".encode())
    out = io.StringIO()
    assert privacy_check_main(path, out) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {"line": 1, "personal_data": True, "kinds": ["name"]},
        {"line": 2, "personal_data": False, "kinds": []},
        {"line": 3, "personal_data": False, "kinds": []},
    ]


# --- nothing is logged ----------------------------------------------------------------------------------------
def test_nothing_found_reaches_the_log(caplog):
    caplog.set_level(logging.DEBUG)
    text = "Mevrouw De Vries, BSN 123 456 782, NL91 ABNA 0417 1643 00, 06-12345678, a.devries@gmail.com"
    scan(text)
    with pytest.raises(WijkleerError):
        check_fields({"omschrijving": text})
    list(check_lines([text]))
    for secret in ("Vries", "456", "ABNA", "12345678", "gmail"):
        assert secret not in caplog.text


def test_the_package_has_no_logging_or_printing():
    folder = Path(wijkleer.privacy.__file__).parent
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import logging|from logging)|\bprint\(|getLogger", source, re.M), path.name
