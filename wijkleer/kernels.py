"""Kernels that follow pages: no more of them than the machine holds, and each one owned by the browser that
opened its page, so that browser (and only that one) can stop it when the page is left.

The owner is the browser's ``_xsrf`` cookie (tornado's raw token, the same for every page of one browser); a
page's unload beacon sends it along, so the shutdown call passes tornado's XSRF check and proves the owner.
"""

from __future__ import annotations

import hmac
import logging
import uuid

from jupyter_server.base.call_context import CallContext
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer

log = logging.getLogger("wijkleer.kernels")


class KernelCapReached(Exception):
    """As many kernels run (or are starting) as ``max_kernels`` allows: the visitor gets a "busy" page."""


def browser_of(handler: object) -> bytes | None:
    """The browser a request comes from: its raw XSRF token (set as a cookie on the page it was given)."""
    raw = getattr(handler, "_get_raw_xsrf_token", None)
    if raw is None:
        return None
    _version, token, _timestamp = raw()
    return token or None


class PageKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with a cap on running kernels and an owner per kernel."""

    max_kernels = Integer(0, config=True, help="Most kernels at once; 0 is no cap.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._starting: set[str] = set()
        self._owners: dict[str, bytes] = {}

    @property
    def in_use(self) -> int:
        """Kernels running or starting (a starting kernel is listed before it is ready: counted once)."""
        return len(set(self.list_kernel_ids()) | self._starting)

    async def start_kernel(self, *, kernel_id: str | None = None, path: str | None = None, **kwargs: object) -> str:
        if kernel_id is not None and kernel_id in self:  # an existing kernel: nothing new starts
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        # checked and counted with no await in between: two requests at once cannot both take the last place
        if self.max_kernels and self.in_use >= self.max_kernels:
            log.warning("kernel cap reached (%d): a page is turned away", self.max_kernels)
            raise KernelCapReached
        handler = CallContext.get(CallContext.JUPYTER_HANDLER)
        owner = browser_of(handler) if handler is not None else None
        kernel_id = kernel_id or str(uuid.uuid4())
        self._starting.add(kernel_id)
        try:
            started = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        finally:
            self._starting.discard(kernel_id)
        if owner:
            self._owners[started] = owner
        return started

    def owned_by(self, kernel_id: str, owner: bytes | None) -> bool:
        """True when ``kernel_id`` runs and was started by a page of the browser ``owner``."""
        known = self._owners.get(kernel_id)
        return bool(owner and known and kernel_id in self and hmac.compare_digest(known, owner))

    def remove_kernel(self, kernel_id: str):  # type: ignore[override]
        self._owners.pop(kernel_id, None)
        return super().remove_kernel(kernel_id)
