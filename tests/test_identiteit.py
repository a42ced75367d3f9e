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


def test_a_participant_without_a_code_cannot_be_claimed_only_given_a_start_code(store, kring):
    added = store.add(Deelnemer.make(kring_id=kring.id, naam="Marieke", rol="facilitator"))
    with pytest.raises(WijkleerError) as taken:
        identiteit.aanmelden(store, kring.id, "Marieke", "aanvaller-1")
    assert "naam" in taken.value.fields and store.get(Deelnemer, added.id).code_hash is None
    identiteit.stel_code_in(store, added, "begeleider-1")
    person = identiteit.aanmelden(store, kring.id, "Marieke", "begeleider-1")
    assert person.id == added.id and person.rol == "facilitator"


def test_guessing_locks_the_name_for_a_while_and_a_good_code_resets_the_count(store, kring, monkeypatch):
    person = identiteit.aanmelden(store, kring.id, "Sanne", "geheim-123")
    for _ in range(identiteit.FREE_ATTEMPTS):
        with pytest.raises(WijkleerError):
            identiteit.aanmelden(store, kring.id, "Sanne", "verkeerd-1")
    with pytest.raises(WijkleerError) as locked:  # even the right code waits now
        identiteit.aanmelden(store, kring.id, "Sanne", "geheim-123")
    assert "minuten" in locked.value.fields["code"]
    identiteit.stel_code_in(store, person, "nieuw-geheim-7")  # the administrator's start code clears it
    back = identiteit.aanmelden(store, kring.id, "Sanne", "nieuw-geheim-7")
    assert back.pogingen == 0 and back.geblokkeerd_tot is None


@pytest.mark.parametrize("code", ["123456", "aaaaaa", "wachtwoord", "345678", "abcdefg", "kort"])
def test_codes_that_are_easy_to_guess_are_refused(store, kring, code):
    with pytest.raises(WijkleerError) as caught:
        identiteit.aanmelden(store, kring.id, "Sanne", code)
    assert set(caught.value.fields) == {"code"}


@pytest.mark.parametrize("naam", ["Sanne\u200b", "Sa\u202enne", "Sa\ud800"])
def test_names_with_invisible_or_broken_characters_are_refused(store, kring, naam):
    with pytest.raises(WijkleerError) as caught:
        identiteit.aanmelden(store, kring.id, naam, "geheim-123")
    assert set(caught.value.fields) == {"naam"}


def test_a_hub_account_and_a_code_account_never_open_each_other(store, kring, monkeypatch):
    identiteit.aanmelden(store, kring.id, "sanne", "geheim-123")
    monkeypatch.setenv("JUPYTERHUB_USER", "sanne")
    with pytest.raises(WijkleerError):  # the hub user 'sanne' is not the code account 'sanne'
        identiteit.aanmelden(store, kring.id, "", None)
    monkeypatch.setenv("JUPYTERHUB_USER", "joost")
    identiteit.aanmelden(store, kring.id, "", None)
    monkeypatch.delenv("JUPYTERHUB_USER")
    with pytest.raises(WijkleerError):  # and no code opens the hub account 'joost'
        identiteit.aanmelden(store, kring.id, "joost", "geheim-123")


def test_a_standalone_server_passes_no_hub_identity_to_its_kernels(monkeypatch):
    from wijkleer.serve import ServeOptions, command

    monkeypatch.setenv("JUPYTERHUB_USER", "docent.jan")
    _argv, env = command(ServeOptions(db_url="sqlite:///x.db"))
    assert not [name for name in env if name.startswith("JUPYTERHUB_")]


def test_reflections_cannot_be_planted_or_looked_up_through_generic_verbs(store, kring):
    writer = identiteit.aanmelden(store, kring.id, "Sanne", "geheim-123")
    planted = Reflectie(deelnemer_id=writer.id, model="gibbs", stappen={"beschrijving": "x"}, gedeeld=True)
    for verb in (
        lambda: store.add(planted),
        lambda: store.add_many([planted]),
        lambda: store.bulk_insert({Reflectie: [{}]}),
        lambda: store.count(Reflectie, deelnemer_id=writer.id),
    ):
        with pytest.raises(WijkleerError):
            verb()
    assert store.reflecties(writer.id) == [] and store.count(Reflectie) == 0


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
    assert "code_hash" not in str(form.box.get_state()) and "pbkdf2" not in str(form.box.get_state())
    form.code.widget.value = "geheim-123"
    form.form.submit()
    assert form.deelnemer is not None and seen == [form.deelnemer] and form.code.widget.value == ""
    assert "Sanne" in form.form.message.value
