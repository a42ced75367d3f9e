"""The ``wijkleer`` command: demo, serve, export, import, info."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from wijkleer.errors import WijkleerError
from wijkleer.text import t

log = logging.getLogger("wijkleer")


def _db(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument("--db", required=required, help=t("cli.db_help"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wijkleer", description=t("cli.beschrijving"))
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help=t("cli.demo_help"))
    _db(demo, required=True)
    demo.add_argument("--size", type=int, default=None, help=t("cli.size_help"))
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--until", type=date.fromisoformat, default=None, help=t("cli.until_help"))
    demo.add_argument("--replace", action="store_true", help=t("cli.replace_help"))
    serve = sub.add_parser("serve", help=t("cli.serve_help"))
    _db(serve)
    serve.add_argument("--ip", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--token", default=None, help=t("cli.serve_token_help"))
    serve.add_argument("--max-kernels", type=int, default=None, help=t("cli.serve_max_kernels_help"))
    serve.add_argument(
        "--public-name", action="append", default=[], dest="public_names", help=t("cli.serve_public_name_help")
    )
    serve.add_argument("--map", type=Path, default=None, help=t("cli.serve_map_help"))
    export = sub.add_parser("export", help=t("cli.export_help"))
    _db(export)
    export.add_argument("--out", required=True, type=Path)
    export.add_argument("--format", default="csv", choices=["csv", "xlsx"])
    imp = sub.add_parser("import", help=t("cli.import_help"))
    _db(imp)
    imp.add_argument("file", type=Path)
    imp.add_argument("--nieuwe-teams", action="store_true", help=t("cli.import_nieuwe_teams_help"))
    info = sub.add_parser("info", help=t("cli.info_help"))
    _db(info)
    code = sub.add_parser("code", help=t("cli.code_help"))
    _db(code)
    code.add_argument("--kring", required=True, help=t("cli.code_kring_help"))
    code.add_argument("--naam", default=None, help=t("cli.code_naam_help"))
    code.add_argument("--code", default=None, help=t("cli.code_code_help"))
    check = sub.add_parser("privacy-check", help=t("cli.privacy_help"))
    check.add_argument("file", type=Path)
    return parser


def _remove_sqlite_file(url: str) -> None:
    from wijkleer.store.engine import normalize_url

    normalized = normalize_url(url)
    if normalized.startswith("sqlite:///"):
        path = Path(normalized.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from wijkleer import demo
    from wijkleer.model import Knelpunt
    from wijkleer.store import open_store

    if args.until and args.until > date.today():
        raise WijkleerError(t("cli.demo_tot_toekomst"), t("cli.demo_tot_hint"))
    if args.replace:
        _remove_sqlite_file(args.db)
    with open_store(args.db) as store:
        existing = store.count(Knelpunt)
        if existing:
            raise WijkleerError(t("cli.demo_niet_leeg", aantal=existing), t("cli.demo_niet_leeg_hint"))
        plan = demo.Plan(size=args.size or demo.DEFAULT_SIZE, seed=args.seed, until=args.until)

        def progress(done: int, total: int) -> None:
            if total > demo.knelpunten.CHUNK:
                print(t("cli.demo_voortgang", klaar=done, totaal=total), file=sys.stderr, flush=True)

        written = demo.generate(store, plan, progress)
        print(t("cli.demo_klaar", database=store.display_url))
        for table, count in written.items():
            print(t("cli.info_telling", tabel=table, aantal=count))
        _demo_start_codes(store)
    return 0


def _demo_start_codes(store) -> None:
    """Each demo kring's facilitator gets a start code, printed once: a facilitator starts in the browser, without
    a command line (a real organisation's beheerder hands codes out with ``wijkleer code``)."""
    from wijkleer import identiteit
    from wijkleer.model import Deelnemer, Kring

    print(t("cli.demo_begeleiders"))
    for kring in store.list(Kring, order_by="naam"):
        people = store.list(Deelnemer, kring_id=kring.id, rol=identiteit.BEGELEIDER, order_by="aangemaakt", limit=1)
        if people:
            code = identiteit.startcode()
            identiteit.stel_code_in(store, people[0], code)
            print(t("cli.demo_begeleider", kring=kring.naam, naam=people[0].naam, code=code))


def cmd_serve(args: argparse.Namespace) -> int:
    from wijkleer.serve import TOKEN_ENV, ServeOptions, serve
    from wijkleer.store import open_store

    with open_store(args.db) as store:  # fail early with a clear message; upgrades an old schema
        url = store.url
    if args.map is not None and not args.map.is_dir():
        print(t("cli.map_bestaat_niet", map=args.map), file=sys.stderr)
        return 2
    token = args.token or os.environ.get(TOKEN_ENV) or None  # the environment keeps it out of `ps`
    options = ServeOptions(
        db_url=url,
        ip=args.ip,
        port=args.port,
        token=token,
        workbooks=args.map,
        max_kernels=args.max_kernels,
        public_names=tuple(args.public_names),
    )
    serve(options)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wijkleer.exchange import export
    from wijkleer.store import open_store

    with open_store(args.db) as store:
        for path in export(store, args.out, args.format):
            print(t("cli.export_klaar", bestand=path))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from wijkleer.exchange import import_knelpunten
    from wijkleer.store import open_store

    with open_store(args.db) as store:
        result = import_knelpunten(store, args.file, nieuwe_teams=args.nieuwe_teams)
    print(t("cli.import_klaar", opgeslagen=result.stored, aanwezig=result.already_present))
    if not result.errors:
        return 0
    print(t("cli.import_fouten", aantal=len(result.errors)))
    for row, fields in result.errors.items():
        for field, message in fields.items():
            print(t("cli.import_rij", rij=row, veld=field, bericht=message))
    return 1


def cmd_info(args: argparse.Namespace) -> int:
    from wijkleer.store import open_store

    with open_store(args.db) as store:
        info = store.info()
    print(t("cli.info_database", database=info["database"]))
    print(t("cli.info_versie", versie=info["schema_versie"]))
    for table, count in info["tellingen"].items():
        print(t("cli.info_telling", tabel=table, aantal=count))
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    """Give a participant a (start) code: a facilitator, or someone who lost theirs. For the administrator."""
    from wijkleer import identiteit
    from wijkleer.model import Deelnemer, Kring
    from wijkleer.store import open_store

    with open_store(args.db) as store:
        kringen = store.list(Kring, naam=args.kring)
        # without a name: the group's facilitator (the first one, when there are several)
        who = {"naam": args.naam} if args.naam else {"rol": identiteit.BEGELEIDER}
        people = store.list(Deelnemer, kring_id=kringen[0].id, order_by="aangemaakt", **who) if kringen else []
        if not people:
            missing = t("cli.code_niet_gevonden", naam=args.naam, kring=args.kring) if args.naam else t(
                "cli.code_geen_begeleider", kring=args.kring)  # fmt: skip
            raise WijkleerError(missing, t("cli.code_hint"))
        code = args.code or identiteit.startcode()
        identiteit.stel_code_in(store, people[0], code)
    print(t("cli.code_gezet", naam=people[0].naam, kring=args.kring, code=code))
    return 0


def cmd_privacy_check(args: argparse.Namespace) -> int:
    from wijkleer.privacy import privacy_check_main

    return privacy_check_main(args.file, sys.stdout)


COMMANDS = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "export": cmd_export,
    "import": cmd_import,
    "info": cmd_info,
    "code": cmd_code,
    "privacy-check": cmd_privacy_check,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except WijkleerError as exc:
        print(t("cli.fout", bericht=exc.message), file=sys.stderr)
        if exc.hint:
            print(t("cli.probeer", hint=exc.hint), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: the details go to the log, the user gets a sentence
        log.error("onverwachte fout", exc_info=exc)
        print(t("cli.onverwacht", soort=type(exc).__name__), file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
