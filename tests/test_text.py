"""The text catalogue: every literal key the code asks for exists, every placeholder is filled,
and the dynamic keys (status, entity kinds, column headers) cover what the model has."""

import ast
import string
from pathlib import Path

import pytest

import wijkleer
from wijkleer.databestand import SOORTEN
from wijkleer.exchange import EVENT_COLUMNS, KNELPUNT_COLUMNS
from wijkleer.model import ENTITIES, STATUSES
from wijkleer.text import catalogue, t

SOURCE = Path(wijkleer.__file__).parent


def _literal_calls():
    """Every ``t("literal.key", name=…)`` in the package, with the names it passes."""
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                yield path.name, node.args[0].value, {k.arg for k in node.keywords}


def _placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_literal_key_exists_with_matching_placeholders():
    calls = list(_literal_calls())
    assert len(calls) > 50  # the scan finds the calls (guards the regular expression itself)
    texts = catalogue()
    for file, key, names in calls:
        assert key in texts, f"{file}: {key} ontbreekt in data/teksten/nl.toml"
        needed = _placeholders(texts[key])
        assert needed == names, f"{file}: {key} vraagt {needed}, krijgt {names}"


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_has_a_label(status):
    assert t(f"status.{status}")


def test_every_entity_and_exported_column_has_a_dutch_name():
    for entity in ENTITIES:
        assert t(f"soort.{entity.table}")
    for column in KNELPUNT_COLUMNS:
        assert t(f"kolom.knelpunt.{column}")
    for column in EVENT_COLUMNS:
        assert t(f"kolom.status_event.{column}")


def test_a_missing_key_is_a_bug_not_a_blank():
    with pytest.raises(KeyError):
        t("bestaat.niet")


@pytest.mark.parametrize("soort", SOORTEN)
def test_every_kind_of_data_file_has_its_error_texts(soort):
    texts = catalogue()
    assert _placeholders(texts[f"{soort}.niet_leesbaar"]) == {"bestand"}
    assert _placeholders(texts[f"{soort}.kapot"]) == {"bestand", "regel", "detail"}
    assert texts[f"{soort}.kapot_hint"]
