"""Waiting for a Voilà page to finish what an action started, in browser tests.

A click or a key press on a widget goes to the kernel over the websocket; the kernel answers with widget updates
and a busy … idle pair of status messages, and the browser then draws (charts asynchronously). There is no
network request to wait for, so :class:`KernelWatch` follows the kernel's status messages on the page's websocket
and then waits until the page itself has stopped changing.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page

# resolves once nothing in the document changed for ``quiet`` ms (at the latest after ``limit`` ms)
_SETTLED_JS = """
([quiet, limit]) => new Promise((resolve) => {
  let timer;
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
  function done() { observer.disconnect(); resolve(); }
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  timer = setTimeout(done, quiet);
  setTimeout(done, limit);
})
"""


class KernelWatch:
    """Follows the kernel's status messages (busy, idle) on ``page``; make it before the page opens the notebook."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.statuses = 0  # status messages seen
        self.state = "idle"  # the last one: busy or idle
        self.last_frame = time.monotonic()
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        if "/api/kernels/" in socket.url:
            socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8", "replace")
        self.last_frame = time.monotonic()
        if b'"execution_state"' in data:
            self.statuses += 1
            self.state = "busy" if b'"busy"' in data else "idle" if b'"idle"' in data else self.state

    def wait(self, quiet_ms: int = 250, timeout: float = 60.0, start_grace: float = 1.5) -> None:
        """Wait until the kernel has answered what the last action asked (a status message since, the last one
        idle, then no message for ``quiet_ms``), then until the page stops changing. An action that sends the
        kernel nothing (focus moving between fields) is given ``start_grace`` seconds for a first message; right
        after opening a page, where nothing more may come, pass 0."""
        started, before = time.monotonic(), self.statuses
        deadline = started + timeout
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
            now = time.monotonic()
            answered = self.statuses > before or now - started > start_grace
            if answered and self.state == "idle" and now - self.last_frame > quiet_ms / 1000:
                break
        else:
            raise AssertionError(f"de kernel was na {timeout:.0f} s nog bezig")
        settle(self.page)


def settle(page: Page, quiet_ms: int = 250, limit_ms: int = 15_000) -> None:
    """Wait until the document has not changed for ``quiet_ms``."""
    page.evaluate(_SETTLED_JS, [quiet_ms, limit_ms])
