"""Signing in with a personal code (or the JupyterHub account), and reflections that stay their writer's:
the store itself refuses every other way in (SQLite and PostgreSQL)."""

import pytest

from wijkleer import identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Deelnemer, Kring, Reflectie
from wijkleer.text import t


@pytest.fixture
def kring(store):
    return store.add(Kring.make(naam="HBO-SW jaar 2, groep A"))


def test_the_first_sign_in_sets_the_code_and_later_ones_need_it(store, kring):
    first = identiteit.aanmelden(store, kring.id, "Sanne", "geheim-123")
    assert first.rol == "student" and first.code_hash and "geheim" not in first.code_hash
    assert identiteit.aanmelden(store, kring.id, " Sanne ", "geheim-123").id == first.id
    with pytest.raises(WijkleerError) as wrong:
        identiteit.aanmelden(store, kring.id, "Sanne", "geheim-124")
    assert wrong.value.fields == {"code": t("identiteit.code_fout")}
    assert store.count(Deelnemer, kring_id=kring.id) == 1


def test_missing_or_short_input_is_named_per_field(store, kring):
    with pytest.raises(WijkleerError) as caught:
        identiteit.aanmelden(store, "", "", "kort")
    assert set(caught.value.fields) == {"kring_id", "naam", "code"}


def test_a_participant_added_by_the_facilitator_is_claimed_by_the_first_code(store, kring):
    added = store.add(Deelnemer.make(kring_id=kring.id, naam="Ahmed", rol="uitvoering"))
    claimed = identiteit.aanmelden(store, kring.id, "Ahmed", "mijn-code-1")
    assert claimed.id == added.id and claimed.rol == "uitvoering" and claimed.code_hash


def test_under_jupyterhub_the_account_is_the_name_and_no_code_is_asked(store, kring, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "s.devries")
    person = identiteit.aanmelden(store, kring.id, "iemand anders", None)
    assert person.naam == "s.devries" and person.code_hash is None
    assert identiteit.aanmelden(store, kring.id, "", None).id == person.id


def test_reflections_are_read_and_changed_only_by_their_writer(store, kring):
    writer = identiteit.aanmelden(store, kring.id, "Sanne", "geheim-123")
    other = identiteit.aanmelden(store, kring.id, "Joost", "anders-456")
    mine = store.reflectie_opslaan(Reflectie(deelnemer_id=writer.id, model="gibbs", stappen={"beschrijving": "x"}),
                                   writer.id)  # fmt: skip
    for verb in (
        lambda: store.get(Reflectie, mine.id),
        lambda: store.list(Reflectie),
        lambda: store.frame(Reflectie),
        lambda: store.update(mine),
        lambda: store.remove(Reflectie, mine.id),
    ):
        with pytest.raises(WijkleerError):
            verb()
    assert store.reflecties(other.id) == [] and [r.id for r in store.reflecties(writer.id)] == [mine.id]
    with pytest.raises(WijkleerError):  # the same id under another writer: refused, never overwritten
        store.reflectie_opslaan(mine.model_copy(update={"deelnemer_id": other.id}), other.id)
    with pytest.raises(WijkleerError):  # claiming to save for someone else
        store.reflectie_opslaan(mine, other.id)
    assert store.gedeelde_reflecties(kring.id) == []
    store.reflectie_opslaan(mine.model_copy(update={"gedeeld": True}), writer.id)
    assert [r.id for r in store.gedeelde_reflecties(kring.id)] == [mine.id]
    assert store.reflecties(writer.id)[0].stappen == {"beschrijving": "x"}


def test_the_sign_in_form_keeps_the_person_in_python_and_clears_the_code(store, kring, monkeypatch):
    from wijkleer.views.aanmelden import Aanmelden

    monkeypatch.setenv("QUERY_STRING", f"kring={kring.id}")
    seen = []
    form = Aanmelden(store, seen.append)
    assert form.kring.widget.value == kring.id
    form.naam.widget.value, form.code.widget.value = "Sanne", "kort"
    form.form.submit()
    assert form.deelnemer is None and "6" in form.code.error.value and form.naam.widget.value == "Sanne"
    form.code.widget.value = "geheim-123"
    form.form.submit()
    assert form.deelnemer is not None and seen == [form.deelnemer] and form.code.widget.value == ""
    assert "Sanne" in form.form.message.value
