"""Everything a view sends to the browser, recorded in-process (no kernel, no browser).

A widget reaches the browser as its full state when it is created (the comm is opened) and as an update each time
a synced trait changes. ``Wire`` records both, for every widget made while it listens — also widgets that were
replaced later or never placed on the page: the browser got them all the same. ``text()`` is all of it as one
string, with what is packed inside decoded: ``data:`` URLs (downloads), zip files among them (Excel) and binary
buffers. ``tables()`` parses the HTML tables that went out.
"""

from __future__ import annotations

import base64
import binascii
import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import ipywidgets.widgets.widget as widget_module
import pytest

DATA_URL = re.compile(r"data:([\w.+/-]+);base64,([A-Za-z0-9+/=]+)")


def _decoded(raw: bytes) -> str:
    """Bytes as text; a zip file (xlsx) as the text of every member."""
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                return "\n".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return raw.decode("utf-8", errors="replace")


@dataclass
class Wire:
    messages: list[str] = field(default_factory=list)  # JSON of each state sent, in order
    buffers: list[bytes] = field(default_factory=list)
    specs: list[dict] = field(default_factory=list)  # every chart specification sent (Grafiek.spec)

    def record(self, state: dict[str, Any], buffers: list | None) -> None:
        self.messages.append(json.dumps(state, ensure_ascii=False, default=str))
        self.buffers += [bytes(b) for b in buffers or []]
        spec = state.get("spec")
        if isinstance(spec, dict) and spec:
            self.specs.append(spec)

    def text(self) -> str:
        """All that went out, HTML entities resolved and embedded files decoded."""
        sent = "\n".join(self.messages)
        parts = [sent, html.unescape(sent)]
        for match in DATA_URL.finditer(html.unescape(sent)):
            try:
                parts.append(_decoded(base64.b64decode(match.group(2))))
            except (binascii.Error, ValueError):
                parts.append(match.group(0))
        parts += [_decoded(b) for b in self.buffers]
        return "\n".join(parts)

    def tables(self) -> list[list[list[str]]]:
        """Every HTML table that went out, as rows of cell texts (header row first)."""
        found = []
        for message in self.messages:
            for value in _strings(json.loads(message)):
                if "<table" in value:
                    parser = _Tables()
                    parser.feed(value)
                    found += parser.tables
        return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def listen(monkeypatch: pytest.MonkeyPatch) -> Wire:
    """From now until the test ends: record what every widget sends to the browser (see the module's docstring)."""
    recorded = Wire()
    create = widget_module.comm.create_comm

    def create_comm(**args):
        data = args.get("data") or {}
        recorded.record(data.get("state", {}), args.get("buffers"))
        return create(**args)

    def send(self, msg, buffers=None):
        if isinstance(msg, dict) and isinstance(msg.get("state"), dict):
            recorded.record(msg["state"], buffers)
        return original_send(self, msg, buffers)

    original_send = widget_module.Widget._send
    monkeypatch.setattr(widget_module.comm, "create_comm", create_comm)
    monkeypatch.setattr(widget_module.Widget, "_send", send)
    return recorded
