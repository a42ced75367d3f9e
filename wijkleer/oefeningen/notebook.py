"""The exercise notebooks (``exercises/<code>.ipynb``) made from the exercise files, so the nbgrader markup and
the answers in it never drift from ``data/oefeningen/``. Per question: a markdown cell, a solution cell that
assigns the right answer to ``antwoord_<vraag>`` between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, and a
locked autograder cell with ``assert feedback.goed, feedback.tekst()`` (the Dutch explanation and tip as the
assertion's message, which nbgrader's feedback shows). The widget app is the last code cell, so Voilà
(which strips sources) shows students only the app. Committed without outputs, as the instructor version.

Regenerate after editing an exercise file::

    .venv/bin/python -c "from wijkleer.oefeningen.notebook import schrijf; schrijf()"
"""

from __future__ import annotations

import json
from pathlib import Path

from wijkleer.oefeningen.laden import Oefening, Vraag, alle
from wijkleer.paths import PROJECT_ROOT

SCHEMA_VERSION = 3
TAG = "nakijken"  # markdown for JupyterLab and nbgrader only: the exercise app hides these cells in Voilà
INTRO = (
    "In Voilà zie je alleen de oefening zelf. In JupyterLab kun je de vragen ook beantwoorden in de cellen "
    "hieronder (`antwoord_…`); de cel eronder controleert je antwoord, zoals nbgrader dat later ook doet."
)


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [line + "\n" for line in parts[:-1]] + [parts[-1]]


def _markdown(cell_id: str, text: str, tags: tuple[str, ...] = (TAG,)) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": list(tags)} if tags else {},
            "source": _lines(text)}  # fmt: skip


def _code(cell_id: str, text: str, nbgrader: dict | None = None) -> dict:
    metadata = {}
    if nbgrader:
        metadata = {"nbgrader": nbgrader}
        if nbgrader.get("locked"):
            metadata.update(deletable=False, editable=False)
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": metadata, "outputs": [],
            "source": _lines(text)}  # fmt: skip


def _question_text(n: int, vraag: Vraag) -> str:
    text = f"### Vraag {n}\n\n{vraag.tekst}"
    if vraag.opties:
        kind = "één code" if vraag.soort == "keuze" else "een lijst met codes"
        options = "\n".join(f"- `{o.code}`: {o.tekst}" for o in vraag.opties)
        text += f"\n\nGeef {kind}:\n\n{options}"
    elif vraag.soort == "getal":
        text += "\n\nGeef een getal."
    else:
        text += "\n\nGeef een tekst (tussen aanhalingstekens)."
    return text


def _grading(grade_id: str, solution: bool) -> dict:
    """nbgrader's cell metadata: a solution cell, or a locked autograder cell worth one point."""
    if solution:
        return {"grade": False, "solution": True, "locked": False, "grade_id": grade_id,
                "schema_version": SCHEMA_VERSION, "task": False}  # fmt: skip
    return {"grade": True, "solution": False, "locked": True, "points": 1, "grade_id": grade_id,
            "schema_version": SCHEMA_VERSION, "task": False}  # fmt: skip


def _cells(oefening: Oefening, n: int, vraag: Vraag) -> list[dict]:
    name = f"antwoord_{vraag.code}"
    solution = f"### BEGIN SOLUTION\n{name} = {vraag.juist_antwoord()!r}\n### END SOLUTION"
    call = f'controle.controleer("{oefening.code}", "{vraag.code}", {name})'
    # nbgrader's feedback shows the assertion's message: the Dutch explanation and tip, not a bare AssertionError
    check = f"from wijkleer.oefeningen import controle\n\nfeedback = {call}\nassert feedback.goed, feedback.tekst()"
    grade_id = f"{oefening.code}-{vraag.code}"
    return [
        _markdown(f"vraag-{vraag.code}", _question_text(n, vraag)),
        _code(f"antwoord-{vraag.code}", solution, _grading(f"{grade_id}-antwoord", solution=True)),
        _code(f"toets-{vraag.code}", check, _grading(f"{grade_id}-toets", solution=False)),
    ]


def notebook(oefening: Oefening) -> dict:
    """The notebook of one exercise, as nbformat 4.5 JSON."""
    cells = [
        _markdown("kop", f"# {oefening.titel}", tags=()),
        _markdown("uitleg", f"{oefening.doel}\n\n{INTRO}\n\n## De casus\n\n{oefening.casus.strip()}"),
    ]
    for n, vraag in enumerate(oefening.vragen, start=1):
        cells += _cells(oefening, n, vraag)
    cells.append(_markdown("app-kop", "## De oefening"))
    cells.append(_code("app", f'from wijkleer.views import oefening\n\noefening.app("{oefening.code}")'))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "title": oefening.titel,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def tekst(oefening: Oefening) -> str:
    return json.dumps(notebook(oefening), ensure_ascii=False, indent=1) + "\n"


def schrijf(folder: Path | None = None) -> list[Path]:
    """Write every exercise notebook into ``folder`` (default: ``exercises/``)."""
    folder = folder or PROJECT_ROOT / "exercises"
    written = []
    for oefening in alle():
        path = folder / f"{oefening.code}.ipynb"
        path.write_text(tekst(oefening), encoding="utf-8")
        written.append(path)
    return written
