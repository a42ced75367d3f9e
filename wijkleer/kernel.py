"""The kernel a workbook runs in: what goes wrong after the page has loaded stays out of the browser.

Voilà (``show_tracebacks=False``) keeps tracebacks of the notebook's own cells from the page. Later errors are
another matter: ipywidgets reports an exception in a click or value callback with IPython's ``showtraceback``,
which sends the traceback — exception text, file paths, source lines — over the websocket; and whatever is
written to stderr (a log record without a handler, a Python warning) the kernel forwards to the browser too.
``guard()`` sends them to the server's log instead (the kernel's original stderr, where Voilà's own log goes);
the user sees the widget as it was (a form's button is enabled again, what was typed is still there). wijkleer's
own log records (a database error's technical detail) always go there, also while a cell runs; other libraries'
records and Python warnings only outside cells (inside, they show in the cell's output as they always did).

``import wijkleer`` calls ``guard()``; outside a kernel (command line, tests) it does nothing.
"""

from __future__ import annotations

import io
import logging
import sys
import warnings
from typing import Any

log = logging.getLogger("wijkleer")
_GUARDED = "_wijkleer_guarded"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _shell() -> Any | None:
    """The running IPython kernel shell, if this is one (IPython is not imported for the asking)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None


def _server_log_stream() -> io.TextIOBase | None:
    """The kernel's original stderr, which Voilà's log receives. ``sys.stderr`` is forwarded to the browser; so is
    file descriptor 2 when ipykernel watches it, and then ipykernel keeps a copy of the original: that one."""
    copy = getattr(sys.stderr, "_original_stdstream_copy", None)
    if copy is None:  # descriptor 2 is not watched: it is the original
        return sys.__stderr__
    return io.TextIOWrapper(io.FileIO(copy, "w", closefd=False), encoding="utf-8", errors="replace",
                            write_through=True)  # fmt: skip


def _running_a_cell(kernel: Any) -> bool:
    """True while the kernel executes a cell (Voilà rendering the page: its own error handling applies)."""
    try:
        parent = kernel.get_parent("shell")
    except Exception:  # an ipykernel without get_parent: be safe, treat it as a callback
        return False
    return (parent or {}).get("header", {}).get("msg_type") == "execute_request"


class _Router(logging.Handler):
    """Where a record goes in a kernel: the server's log; or, with ``in_cell``, while a cell runs, the cell's own
    stderr output as Python does without a handler (a notebook's author, a student's own code, see it there)."""

    def __init__(self, kernel: Any, stream: io.TextIOBase | None, in_cell: bool) -> None:
        super().__init__(logging.WARNING)
        self.kernel, self.stream, self.in_cell = kernel, stream, in_cell
        self.setFormatter(logging.Formatter(FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        if self.in_cell and _running_a_cell(self.kernel):
            stream, text = sys.stderr, logging.Formatter().format(record)  # as logging's last resort writes it
        else:
            stream, text = self.stream, self.format(record)
        if stream is None:
            return
        try:
            stream.write(text + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def guard(shell: Any | None = None) -> bool:
    """In a kernel: what goes wrong in a widget callback goes to the server's log, never to the browser; wijkleer's
    own log records (technical detail by design) always do. Returns whether it is in place (once per kernel)."""
    shell = shell or _shell()
    if shell is None:
        return False
    if getattr(shell, _GUARDED, False):
        return True
    stream = _server_log_stream()
    log.addHandler(_Router(shell.kernel, stream, in_cell=False))
    log.propagate = False
    # records of other libraries that have no handler, and Python warnings: the server's log unless a cell runs
    # (logging's own last resort writes them to stderr, which the kernel forwards to the browser)
    logging.lastResort = _Router(shell.kernel, stream, in_cell=True)
    showwarning, original = warnings.showwarning, shell.showtraceback

    def warn(message, category, filename, lineno, file=None, line=None) -> None:
        if file is not None or _running_a_cell(shell.kernel):
            return showwarning(message, category, filename, lineno, file, line)
        text = warnings.formatwarning(message, category, filename, lineno, line)
        logging.lastResort.handle(logging.LogRecord("py.warnings", logging.WARNING, filename, lineno, text, None,
                                                     None))  # fmt: skip
        return None

    def showtraceback(*args: Any, **kwargs: Any) -> None:
        if _running_a_cell(shell.kernel):
            return original(*args, **kwargs)
        given = kwargs.get("exc_tuple") or (args[0] if args else None)
        log.error("fout in een widget, niet getoond in de browser", exc_info=given or sys.exc_info())
        return None

    warnings.showwarning = warn
    shell.showtraceback = showtraceback
    setattr(shell, _GUARDED, True)
    return True
