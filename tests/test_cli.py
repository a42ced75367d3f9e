"""The ``wijkleer`` command and the Voilà launcher's safe defaults."""

import subprocess
import sys
from pathlib import Path

import pytest

from wijkleer import cli, identiteit
from wijkleer.errors import WijkleerError
from wijkleer.model import Knelpunt, Kring
from wijkleer.serve import TOKEN_ENV, ServeOptions, command, is_strong, max_kernels, url
from wijkleer.store import Store, migrations


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_info_export_import(capsys, tmp_path):
    db = str(tmp_path / "demo.db")
    code, out, _ = run(capsys, "demo", "--db", db, "--size", "120", "--until", "2026-11-20")
    assert code == 0
    assert "Demoregio gemaakt" in out and "knelpunt: 120" in out and "team: 70" in out
    # every demo kring's facilitator can sign in in the browser with the start code printed here
    [line, *_] = [line for line in out.splitlines() if "startcode" in line and line.startswith("  ")]
    kring_naam, rest = line.strip().split(": ", 1)
    naam, code = rest.split(", startcode ")
    with Store(db) as store:
        kring = store.list(Kring, naam=kring_naam)[0]
        assert identiteit.aanmelden(store, kring.id, naam, code).naam == naam
    code, out, _ = run(capsys, "info", "--db", db)
    assert code == 0 and f"Schemaversie: {migrations.LATEST}" in out and "knelpunt: 120" in out
    code, out, _ = run(capsys, "export", "--db", db, "--out", str(tmp_path / "uit"), "--format", "xlsx")
    assert code == 0 and "wijkleer-export.xlsx" in out
    target = str(tmp_path / "leeg.db")
    code, out, _ = run(capsys, "import", "--db", target, str(tmp_path / "uit" / "wijkleer-export.xlsx"))
    assert code == 1 and "rij 2: Team:" in out  # an empty database knows no teams: refused unless asked
    code, out, _ = run(
        capsys, "import", "--db", target, str(tmp_path / "uit" / "wijkleer-export.xlsx"), "--nieuwe-teams"
    )
    assert code == 0, out
    assert out.strip() == "120 knelpunten opgeslagen, 0 stonden er al in."
    with Store(target) as store:
        assert store.count(Knelpunt) == 120


def test_demo_refuses_a_filled_database_unless_replaced(capsys, tmp_path):
    db = str(tmp_path / "demo.db")
    assert run(capsys, "demo", "--db", db, "--size", "50")[0] == 0
    code, _, err = run(capsys, "demo", "--db", db, "--size", "50")
    assert code == 2
    assert "Fout: Deze database bevat al gegevens (50 knelpunten)." in err and "--replace" in err
    assert run(capsys, "demo", "--db", db, "--size", "60", "--replace")[0] == 0
    with Store(db) as store:
        assert store.count(Knelpunt) == 60


def test_demo_until_in_the_future_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "demo", "--db", str(tmp_path / "d.db"), "--until", "2999-01-01")
    assert code == 2 and "in de toekomst" in err


def test_import_with_bad_rows_reports_them_and_exits_1(capsys, tmp_path):
    path = tmp_path / "invoer.csv"
    path.write_text(
        "Titel;Omschrijving;Wetten en domeinen;Categorie;Ernst;Aantal casussen;Bron;Team;Wijk;Gemeente;Datum\n"
        "Goed;Tekst;Wmo 2015;Wetten botsen;Hoog;3;Leerkring;WT Noord;Noord;Dijkhoven;2026-02-01\n"
        "Fout;Tekst;Wmo 2015;Wetten botsen;Hoog;drie;Leerkring;WT Noord;Noord;Dijkhoven;2026-02-01\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "--db", str(tmp_path / "x.db"), str(path), "--nieuwe-teams")
    assert code == 1
    assert "1 knelpunten opgeslagen" in out
    assert "rij 3: Aantal casussen:" in out


def test_errors_are_dutch_sentences_without_a_traceback(capsys, tmp_path):
    code, out, err = run(capsys, "info", "--db", str(tmp_path / "nergens" / "x.db"))
    assert code == 2
    assert err.startswith("Fout: De map ") and "Probeer:" in err and "Traceback" not in err + out


def test_unexpected_errors_become_a_sentence(capsys, monkeypatch):
    def broken(_args):
        raise RuntimeError("stuk")

    monkeypatch.setitem(cli.COMMANDS, "info", broken)
    code, _, err = run(capsys, "info")
    assert code == 3 and "Er ging iets onverwachts mis (RuntimeError)" in err


def test_console_entry_point_is_installed():
    done = subprocess.run([sys.executable, "-m", "wijkleer", "--help"], capture_output=True, text=True, check=True)
    for name in ("demo", "serve", "export", "import", "info", "code"):
        assert name in done.stdout


# -- serve ---------------------------------------------------------------------------------------------


STRONG = "Qm3vX9-kT2pLw8_rZ4nB6yHd"  # 24 characters, 24 different, no run


def test_serve_defaults_are_safe(monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "van-buiten-af-aaaa")  # a token in the outside environment is not passed on
    monkeypatch.setenv("JUPYTER_TOKEN", "ook-niet-deze")
    argv, env = command(ServeOptions(db_url="sqlite:////tmp/x.db"))
    assert argv[1:3] == ["-m", "wijkleer.server"]  # wijkleer's own launcher: host check, kernel cap, own pages
    assert TOKEN_ENV not in env and "JUPYTER_TOKEN" not in env
    assert "--Voila.ip=127.0.0.1" in argv
    assert "--show_tracebacks=False" in argv and "--strip_sources=True" in argv
    assert "--MappingKernelManager.cull_idle_timeout=900" in argv
    denylist = " ".join(a for a in argv if a.startswith("--VoilaConfiguration.file_denylist="))
    for pattern in ("ipynb", "db", "sqlite", "wal", "toml"):
        assert pattern in denylist
    assert not any(a.startswith("--token") for a in argv)
    assert env["WIJKLEER_DB"] == "sqlite:////tmp/x.db"
    assert url(ServeOptions(db_url="x")) == "http://127.0.0.1:8866/voila/render/start.ipynb"


@pytest.mark.parametrize("ip", ["0.0.0.0", "192.168.1.20", "::", "wijkleer.gemeente.nl"])
def test_serving_beyond_this_computer_needs_a_long_token(ip):
    with pytest.raises(WijkleerError) as caught:
        command(ServeOptions(db_url="x", ip=ip))
    assert "zonder toegangscode" in caught.value.message and "--token" in caught.value.hint
    with pytest.raises(WijkleerError, match="te kort"):
        command(ServeOptions(db_url="x", ip=ip, token="kort"))
    argv, env = command(ServeOptions(db_url="x", ip=ip, token=STRONG))
    # never on the command line (every local user's `ps` shows it): the launcher reads it from its environment
    assert not [a for a in argv if STRONG in a] and env[TOKEN_ENV] == STRONG
    assert url(ServeOptions(db_url="x", ip=ip, token=STRONG)).endswith(f"?token={STRONG}")


@pytest.mark.parametrize(
    "token", ["a" * 16, "a" * 24, "abababababababab", "abcdefghijklmnop", "1234567890123456", "Xk9-abcdef-Qw2Lp7"]
)
def test_a_weak_token_is_refused_with_a_good_example(token):
    with pytest.raises(WijkleerError) as caught:
        command(ServeOptions(db_url="x", ip="0.0.0.0", token=token))
    assert "te makkelijk te raden" in caught.value.message
    example = caught.value.hint.split("--token ")[1].rstrip(".")
    assert is_strong(example) and len(example) >= 24


def test_a_random_token_is_strong():
    import secrets

    assert is_strong(STRONG) and all(is_strong(secrets.token_urlsafe(24)) for _ in range(200))


def test_the_kernel_cap_comes_from_the_option_the_environment_or_the_memory(monkeypatch):
    monkeypatch.delenv("WIJKLEER_MAX_KERNELS", raising=False)
    sized = max_kernels(ServeOptions(db_url="x"))
    assert sized >= 2
    argv, _ = command(ServeOptions(db_url="x"))
    assert f"--PageKernelManager.max_kernels={sized}" in argv
    monkeypatch.setenv("WIJKLEER_MAX_KERNELS", "7")
    assert max_kernels(ServeOptions(db_url="x")) == 7
    assert max_kernels(ServeOptions(db_url="x", max_kernels=3)) == 3  # the option wins
    for wrong in ("nul", "0", "-2"):
        monkeypatch.setenv("WIJKLEER_MAX_KERNELS", wrong)
        with pytest.raises(WijkleerError, match="geen geheel getal"):
            command(ServeOptions(db_url="x"))


@pytest.mark.parametrize("ip", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_local_binds_need_no_token(ip):
    argv, _ = command(ServeOptions(db_url="x", ip=ip))
    assert f"--Voila.ip={ip}" in argv


def test_serve_refuses_an_unusable_database_before_starting(capsys, tmp_path):
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "nergens" / "x.db"))
    assert code == 2 and "bestaat niet" in err


def test_privacy_check_prints_one_json_object_per_line(tmp_path):
    import json

    path = tmp_path / "teksten.txt"
    path.write_text(
        "Wachtlijst GGZ is te lang.\nBel mevrouw Jansen op 06-12345678.\n\nBSN 111222333\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "wijkleer", "privacy-check", str(path)], capture_output=True, text=True, check=True
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines == [
        {"line": 1, "personal_data": False, "kinds": []},
        {"line": 2, "personal_data": True, "kinds": ["name", "phone"]},
        {"line": 3, "personal_data": False, "kinds": []},
        {"line": 4, "personal_data": True, "kinds": ["bsn"]},
    ]


def test_privacy_check_of_a_missing_file_is_a_dutch_error(capsys, tmp_path):
    code, _, err = run(capsys, "privacy-check", str(tmp_path / "weg.txt"))
    assert code == 2 and "Fout: Bestand weg.txt kan niet gelezen worden" in err


def test_serve_a_missing_folder_is_refused_in_dutch(capsys, tmp_path):
    code, _, err = run(capsys, "serve", "--db", str(tmp_path / "x.db"), "--map", str(tmp_path / "geen"))
    assert code == 2 and "bestaat niet" in err


def test_serve_can_serve_the_exercises_folder(tmp_path):
    folder = Path(__file__).resolve().parents[1] / "exercises"
    argv, env = command(ServeOptions(db_url=f"sqlite:///{tmp_path}/x.db", workbooks=folder))
    assert str(folder) in argv and env["WIJKLEER_WORKBOOKS"] == str(folder)


def test_code_gives_a_facilitator_a_start_code_to_sign_in_with(capsys, tmp_path):
    from wijkleer import identiteit
    from wijkleer.model import Deelnemer, Kring
    from wijkleer.store import Store

    db = str(tmp_path / "k.db")
    with Store(db) as store:
        kring = store.add(Kring.make(naam="Klas 2B"))
        store.add(Deelnemer.make(kring_id=kring.id, naam="Marieke", rol="facilitator"))
    code, out, _ = run(capsys, "code", "--db", db, "--kring", "Klas 2B", "--naam", "Marieke")
    start = out.strip().rsplit(" ", 1)[-1]
    assert code == 0 and len(start) == 14
    with Store(db) as store:
        assert identiteit.aanmelden(store, kring.id, "Marieke", start).rol == "facilitator"
    code, _, err = run(capsys, "code", "--db", db, "--kring", "Klas 2B", "--naam", "Niemand")
    assert code == 2 and "Niemand" in err
    code, out, _ = run(capsys, "code", "--db", db, "--kring", "Klas 2B")  # without a name: the facilitator
    assert code == 0 and out.startswith("Marieke (Klas 2B)")
    with Store(db) as store:
        store.add(Kring.make(naam="Zonder begeleider"))
    code, _, err = run(capsys, "code", "--db", db, "--kring", "Zonder begeleider")
    assert code == 2 and "geen begeleider" in err


@pytest.mark.parametrize("argv", [["--ip", "0.0.0.0"], ["--ip", "192.168.1.20", "--token", "kort"]])
def test_serve_beyond_this_computer_without_a_token_starts_nothing(capsys, tmp_path, monkeypatch, argv):
    """Refused before anything is started: no Voilà process, no chart bundle, a Dutch sentence and exit 2."""
    import os

    from wijkleer.views import chart

    started = []
    monkeypatch.setattr(os, "execve", lambda *args: started.append(args))
    monkeypatch.setattr(chart, "make_bundle", lambda: started.append("bundle"))
    code, out, err = run(capsys, "serve", "--db", str(tmp_path / "x.db"), *argv)
    assert code == 2 and started == []
    assert err.startswith("Fout: ") and "Probeer:" in err and "Traceback" not in out + err
    # the control: with a strong token the same command does start Voilà, on the address asked for
    code, _, _ = run(capsys, "serve", "--db", str(tmp_path / "x.db"), "--ip", "0.0.0.0", "--token", STRONG)
    assert code == 0 and started[0] == "bundle"
    _exe, argv_started, env_started = started[1]
    assert "--Voila.ip=0.0.0.0" in argv_started and env_started[TOKEN_ENV] == STRONG
    assert not [a for a in argv_started if STRONG in a]
    # and the token may come from the environment, so it is on no command line at all
    monkeypatch.setenv(TOKEN_ENV, STRONG)
    code, _, _ = run(capsys, "serve", "--db", str(tmp_path / "x.db"), "--ip", "0.0.0.0")
    assert code == 0 and started[-1][2][TOKEN_ENV] == STRONG
