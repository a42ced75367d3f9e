"""Chart files (SVG and PNG) made in a process of their own: vl-convert's JavaScript engine (~110 MB) leaves with
that process instead of staying in the tab's kernel for as long as the tab is open.

``python -m wijkleer.grafiekbestanden`` reads ``{"specs": [...], "scale": 2.0}`` as JSON on stdin and writes, per
specification, its SVG and its PNG (base64) as JSON on stdout."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from typing import Any

from wijkleer.errors import WijkleerError
from wijkleer.text import t

TIMEOUT_SECONDS = 120


class _Spec:
    """A Vega-Lite specification as the exports in ``wijkleer.rapport`` take a chart."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def to_dict(self) -> dict[str, Any]:
        return self.spec


def maken(charts: list, scale: float = 2.0) -> list[tuple[bytes, bytes]]:
    """(SVG, PNG) per chart, rendered in a child process; a failure there is one Dutch error, not a traceback."""
    if not charts:
        return []
    request = json.dumps({"specs": [chart.to_dict() for chart in charts], "scale": scale})
    try:
        done = subprocess.run([sys.executable, "-m", "wijkleer.grafiekbestanden"], input=request, text=True,
                              capture_output=True, timeout=TIMEOUT_SECONDS, check=True)  # fmt: skip
        files = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise WijkleerError(t("rapport.grafiek_mislukt"), t("rapport.grafiek_mislukt_hint")) from error
    return [(svg.encode("utf-8"), base64.b64decode(png)) for svg, png in files]


def main() -> None:
    from wijkleer import rapport

    request = json.load(sys.stdin)
    files = []
    for spec in request["specs"]:
        chart = _Spec(spec)
        svg = rapport.grafiek_svg(chart).decode("utf-8")
        png = base64.b64encode(rapport.grafiek_png(chart, scale=request["scale"])).decode("ascii")
        files.append([svg, png])
    json.dump(files, sys.stdout)


if __name__ == "__main__":
    main()
