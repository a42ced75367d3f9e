"""``wijkleer.kernel.guard``: in a kernel, an error in a widget callback goes to the server's log, never through
IPython's showtraceback to the browser; so do log records and warnings outside cells, and wijkleer's own records
always. While a cell runs, errors keep Voilà's handling and other output stays in the cell. A stand-in shell here;
tests/browser/test_security_in_browser.py checks the real thing over the websocket."""

import contextlib
import io
import logging
import sys
import warnings

import pytest

from wijkleer import kernel


class FakeKernel:
    def __init__(self) -> None:
        self.parent = {"header": {"msg_type": "comm_msg"}}  # handling a widget message, not running a cell

    def get_parent(self, channel=None):
        return self.parent


class FakeShell:
    def __init__(self) -> None:
        self.kernel = FakeKernel()
        self.shown: list = []
        self.showtraceback = lambda *args, **kwargs: self.shown.append(args)

    def in_cell(self, running: bool) -> None:
        self.kernel.parent = {"header": {"msg_type": "execute_request" if running else "comm_msg"}}


@pytest.fixture
def guarded(monkeypatch):
    """A guarded stand-in shell; the server's log is a string here, and what guard() changes is put back after."""
    server_log, cell = io.StringIO(), io.StringIO()
    monkeypatch.setattr(kernel, "_server_log_stream", lambda: server_log)
    monkeypatch.setattr(logging, "lastResort", logging.lastResort)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(kernel.log, "handlers", [])
    monkeypatch.setattr(kernel.log, "propagate", True)
    shell = FakeShell()
    assert kernel.guard(shell) is True
    return shell, server_log, cell


@contextlib.contextmanager
def as_in_a_kernel(cell: io.StringIO):
    """No handler on the root logger and ``cell`` as stderr (what a kernel forwards to the browser), as in a kernel;
    pytest puts its own handlers and stderr in place for each test."""
    root = logging.getLogger()
    kept, root.handlers = root.handlers, []
    stderr, sys.stderr = sys.stderr, cell
    try:
        yield
    finally:
        root.handlers, sys.stderr = kept, stderr


def _raise_and_report(shell: FakeShell, text: str) -> None:
    try:
        raise ValueError(text)
    except ValueError:
        shell.showtraceback()


def test_a_callback_error_goes_to_the_server_log_not_the_browser(guarded):
    shell, server_log, cell = guarded
    with as_in_a_kernel(cell):
        _raise_and_report(shell, "geheim-in-klik")
    assert shell.shown == [] and cell.getvalue() == ""
    assert "geheim-in-klik" in server_log.getvalue() and "Traceback" in server_log.getvalue()


def test_an_error_while_a_cell_runs_keeps_the_original_path(guarded):
    shell, server_log, _cell = guarded
    shell.in_cell(True)
    _raise_and_report(shell, "in een cel")
    assert len(shell.shown) == 1 and server_log.getvalue() == ""


def test_records_and_warnings_outside_a_cell_go_to_the_server_log(guarded):
    _shell, server_log, cell = guarded
    with as_in_a_kernel(cell):
        logging.getLogger("een.bibliotheek").warning("bibliotheek-geheim")
        warnings.warn("waarschuwing-geheim", UserWarning, stacklevel=1)
    assert cell.getvalue() == ""
    assert "bibliotheek-geheim" in server_log.getvalue() and "waarschuwing-geheim" in server_log.getvalue()


def test_inside_a_cell_others_output_stays_in_the_cell_and_wijkleers_detail_goes_to_the_log(guarded):
    shell, server_log, cell = guarded
    shell.in_cell(True)
    with as_in_a_kernel(cell):
        logging.getLogger("een.bibliotheek").warning("voor de cel")
        logging.getLogger("wijkleer.store").warning("databasefout: technisch detail")
    assert cell.getvalue() == "voor de cel\n"  # as logging's last resort writes it
    assert "technisch detail" in server_log.getvalue() and "technisch detail" not in cell.getvalue()


def test_guarding_twice_wraps_once_and_outside_a_kernel_nothing_happens(guarded):
    shell, _server_log, _cell = guarded
    wrapped = shell.showtraceback
    assert kernel.guard(shell) is True and shell.showtraceback is wrapped
    assert len([h for h in kernel.log.handlers if isinstance(h, kernel._Router)]) == 1
    assert kernel.guard() is False  # pytest is no kernel
