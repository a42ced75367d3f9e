"""A possible name is a question, not a wall: hard identifiers always block; a name the author marks as
"dit is geen persoon" passes, and the answer is audited by kind and position, never by its text."""

from __future__ import annotations

import pytest

from wijkleer.errors import WijkleerError
from wijkleer.privacy import GeenPersoon, NaamVraag, check_fields, scan

TEXT = "Overleg met Pieter over de wachtlijst."


def _name_position(text: str) -> tuple[int, int]:
    (finding,) = [f for f in scan(text) if f.kind == "name"]
    return finding.start, finding.end


def test_only_a_possible_name_is_a_question_with_its_position():
    with pytest.raises(NaamVraag) as caught:
        check_fields({"tekst": TEXT})
    assert isinstance(caught.value, WijkleerError)  # the text is still held back
    assert caught.value.questions == {"tekst": [_name_position(TEXT)]}
    assert "Pieter" not in caught.value.message


def test_a_hard_identifier_is_never_a_question():
    with pytest.raises(WijkleerError) as caught:
        check_fields({"tekst": TEXT, "toelichting": "bsn 123456782"})
    assert not isinstance(caught.value, NaamVraag)


def test_geen_persoon_lets_that_name_through_and_is_audited_without_text():
    start, end = _name_position(TEXT)
    answer = GeenPersoon("tekst", start, end, by="facilitator-7")
    audited: list[GeenPersoon] = []
    check_fields({"tekst": TEXT}, geen_persoon=[answer], audit=audited.append)
    assert audited == [answer]
    record = vars(audited[0])
    assert set(record) == {"field", "start", "end", "kind", "by", "at"}
    assert not any("Pieter" in str(value) for value in record.values())


def test_an_answer_for_another_place_or_field_does_not_count():
    start, end = _name_position(TEXT)
    for answer in (GeenPersoon("tekst", start + 1, end), GeenPersoon("titel", start, end)):
        with pytest.raises(NaamVraag):
            check_fields({"tekst": TEXT}, geen_persoon=[answer])


def test_geen_persoon_cannot_waive_a_hard_identifier():
    text = "bsn 123456782"
    (finding,) = scan(text)
    answers = [GeenPersoon("tekst", finding.start, finding.end), GeenPersoon("tekst", 4, 13, kind="bsn")]
    with pytest.raises(WijkleerError) as caught:
        check_fields({"tekst": text}, geen_persoon=answers)
    assert not isinstance(caught.value, NaamVraag)
