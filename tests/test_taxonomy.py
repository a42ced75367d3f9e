from pathlib import Path

import pytest

from wijkleer.errors import WijkleerError
from wijkleer.paths import data_dir
from wijkleer.taxonomy import LISTS, parse, taxonomy

GOOD = (data_dir() / "taxonomie.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "taxonomie.toml"
    path.write_text(content, encoding="utf-8")
    return path


def _line_of(content: str, needle: str, occurrence: int = 0) -> int:
    lines = [n for n, line in enumerate(content.splitlines(), 1) if needle in line]
    return lines[occurrence]


def test_shipped_taxonomy_has_every_list_of_the_domain():
    tax = taxonomy()
    for kind in LISTS:
        assert tax.items(kind), kind
    assert set(tax.codes("wet")) == {"wmo", "jeugd", "participatiewet", "toegang", "meerdere", "anders"}
    assert len(tax.codes("categorie")) == 10
    assert len(tax.codes("leefgebied")) == 11
    assert tax.codes("ernst") == ("acuut", "hoog", "normaal", "laag")
    assert tax.reactietermijn == {"ontvangst": 10, "besluit": 60}


def test_labels_and_codes_both_ways():
    tax = taxonomy()
    assert tax.label("wet", "wmo") == "Wmo 2015"
    assert tax.code_for("wet", " wmo 2015 ") == "wmo"
    assert tax.code_for("wet", "jeugd") == "jeugd"
    assert tax.code_for("wet", "Sinterklaas") is None
    assert ("Jeugdwet", "jeugd") in tax.options("wet")


def test_an_organisation_can_add_an_item(tmp_path):
    content = GOOD + '\n[[leefgebied]]\ncode = "zingeving"\nnaam = "Zingeving"\n'
    assert "zingeving" in parse(_write(tmp_path, content)).codes("leefgebied")


def test_syntax_error_names_file_and_line(tmp_path):
    content = GOOD.replace('naam = "Jeugdwet"', 'naam = "Jeugdwet')
    path = _write(tmp_path, content)
    with pytest.raises(WijkleerError) as caught:
        parse(path)
    assert str(path) in caught.value.message
    line = _line_of(content, 'naam = "Jeugdwet')
    assert f"regel {line}" in caught.value.message


def test_duplicate_code_names_the_line_of_the_duplicate(tmp_path):
    content = GOOD.replace('code = "hoog"', 'code = "acuut"')
    with pytest.raises(WijkleerError) as caught:
        parse(_write(tmp_path, content))
    line = _line_of(content, "[[ernst]]", 1)
    assert f"regel {line}" in caught.value.message
    assert "'acuut' staat twee keer" in caught.value.message


def test_missing_name_and_bad_code_and_unknown_field(tmp_path):
    no_name = GOOD.replace('naam = "Caseload"\n', "")
    with pytest.raises(WijkleerError, match="geen naam"):
        parse(_write(tmp_path, no_name))
    bad_code = GOOD.replace('code = "caseload"', 'code = "Case Load"')
    with pytest.raises(WijkleerError, match="ongeldige code 'Case Load'"):
        parse(_write(tmp_path, bad_code))
    extra = GOOD.replace('naam = "Caseload"', 'naam = "Caseload"\nkleur = "rood"')
    with pytest.raises(WijkleerError, match="onbekend veld 'kleur'"):
        parse(_write(tmp_path, extra))


def test_missing_list_unknown_list_and_bad_term(tmp_path):
    without_bron = "\n".join(block for block in GOOD.split("\n\n") if not block.startswith("[[bron]]"))
    with pytest.raises(WijkleerError, match="'bron' ontbreekt"):
        parse(_write(tmp_path, without_bron))
    with pytest.raises(WijkleerError, match="onbekende lijst 'wetten'"):
        parse(_write(tmp_path, GOOD + '\n[[wetten]]\ncode = "x"\nnaam = "X"\n'))
    content = GOOD.replace("besluit = 60", "besluit = -3")
    with pytest.raises(WijkleerError) as caught:
        parse(_write(tmp_path, content))
    assert f"regel {_line_of(content, 'besluit = -3')}" in caught.value.message


def test_unreadable_file(tmp_path):
    with pytest.raises(WijkleerError, match="kan niet gelezen worden"):
        parse(tmp_path / "bestaat-niet.toml")


def test_a_bad_municipal_term_names_its_own_block(tmp_path):
    source = (Path(__file__).resolve().parents[1] / "data" / "taxonomie.toml").read_text(encoding="utf-8")
    broken = source + '\n[reactietermijn.gemeente."Bremwoude"]\nontvangst = 0\n'
    path = tmp_path / "taxonomie.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(WijkleerError) as caught:
        parse(path)
    block_line = broken.splitlines().index('[reactietermijn.gemeente."Bremwoude"]') + 1
    assert f"regel {block_line}" in caught.value.message
