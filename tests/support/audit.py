"""``make audit``: pip-audit over the virtualenv, with a fallback for where its services cannot be reached.

pip-audit's PyPI service asks ``https://pypi.org/pypi/<name>/<version>/json`` for each installed package; its
OSV and ecosyste.ms services ask hosts of their own. On the project's machines (and so in CI) only PyPI is
reachable, and only its project pages: the per-version page answers 404, which pip-audit reports as
"Dependency not found on PyPI and could not be audited" — and then exits 0, having audited nothing.

So this runs pip-audit first (where its service works, that is the whole audit) and then looks up every package
it skipped on the project page ``https://pypi.org/pypi/<name>/json``, whose ``vulnerabilities`` are those of the
latest release: for a package installed at that release they are exactly its known vulnerabilities. A package
behind the latest release (held back by a cap, or by this Python) cannot be audited that way; it is listed.

Exit codes: 0 nothing known; 1 a known vulnerability (each is printed with the version that fixes it);
2 nothing at all could be audited (no service answered: a security gate must not pass by not looking).

    python -m tests.support.audit            # the environment of this Python
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_PAGE = "https://pypi.org/pypi/{name}/json"
ATTEMPTS = 4
TIMEOUT = 30  # seconds per request
EDITABLE = "marked as editable"


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    id: str
    fixed_in: tuple[str, ...]
    source: str  # "pip-audit" or "pypi project page"


@dataclass
class Result:
    audited: list[str] = field(default_factory=list)  # "name version"
    findings: list[Finding] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)  # "name version: why"

    @property
    def exit_code(self) -> int:
        if self.findings:
            return 1
        return 0 if self.audited else 2


def run_pip_audit(python: str = sys.executable) -> dict:
    """pip-audit's JSON report on ``python``'s environment (editable installs, i.e. wijkleer itself, skipped)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "pip-audit.json"
        command = [python, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "-s", "pypi",
                   "-f", "json", "-o", str(report), "--timeout", str(TIMEOUT)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode not in (0, 1) or not report.exists():  # 1: vulnerabilities found, in the report
            raise SystemExit(f"pip-audit failed ({done.returncode}):\n{done.stderr[-4000:]}")
        return json.loads(report.read_text(encoding="utf-8"))


def project_page(name: str) -> dict | None:
    """PyPI's JSON project page, or None when PyPI does not know the name; retried on network trouble."""
    for attempt in range(ATTEMPTS):
        try:
            with urllib.request.urlopen(PROJECT_PAGE.format(name=name), timeout=TIMEOUT) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            problem: Exception = error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            problem = error
        if attempt + 1 < ATTEMPTS:
            time.sleep(2**attempt)
    print(f"  {name}: PyPI not reachable ({problem})", file=sys.stderr)
    return None


def _same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _installed(skip_reason: str) -> str | None:
    """The version pip-audit names at the end of its skip reason: '... could not be audited: name (1.2.3)'."""
    if skip_reason.endswith(")") and "(" in skip_reason:
        return skip_reason.rsplit("(", 1)[1][:-1]
    return None


def audit(report: dict, fetch: Callable[[str], dict | None] = project_page) -> Result:
    """Combine pip-audit's ``report`` with the project pages of what it skipped."""
    result = Result()
    dependencies = report.get("dependencies", [])
    wanted = [d["name"] for d in dependencies if _installed(d.get("skip_reason", ""))]
    with ThreadPoolExecutor(max_workers=8) as pool:  # ~150 small pages: seconds instead of half a minute
        pages = dict(zip(wanted, pool.map(fetch, wanted), strict=True))
    for dependency in dependencies:
        name = dependency["name"]
        if EDITABLE in dependency.get("skip_reason", ""):
            continue  # wijkleer itself, installed from this checkout
        if "skip_reason" not in dependency:
            version = dependency["version"]
            result.audited.append(f"{name} {version}")
            for vuln in dependency.get("vulns", []):
                result.findings.append(Finding(name, version, vuln["id"], tuple(vuln.get("fix_versions", [])),
                                               "pip-audit"))  # fmt: skip
            continue
        version = _installed(dependency["skip_reason"])
        page = pages.get(name)
        if version is None or page is None:
            result.unaudited.append(f"{name}: {dependency['skip_reason']}")
            continue
        latest = page.get("info", {}).get("version", "")
        if not _same_version(version, latest):
            result.unaudited.append(f"{name} {version}: not the latest release ({latest}); PyPI here answers "
                                    "only for the latest")  # fmt: skip
            continue
        result.audited.append(f"{name} {version}")
        for vuln in page.get("vulnerabilities") or []:
            if vuln.get("withdrawn"):
                continue
            result.findings.append(Finding(name, version, vuln.get("id", "?"), tuple(vuln.get("fixed_in") or ()),
                                           "pypi project page"))  # fmt: skip
    return result


def show(result: Result) -> None:
    print(f"audited: {len(result.audited)} packages; not audited: {len(result.unaudited)}")
    for line in result.unaudited:
        print(f"  not audited: {line}")
    for finding in result.findings:
        fix = ", ".join(finding.fixed_in) or "no fixed release yet"
        print(f"VULNERABLE: {finding.name} {finding.version}: {finding.id} (fixed in: {fix}; via {finding.source})")
    if result.exit_code == 0:
        print("no known vulnerabilities in the audited packages")
    elif result.exit_code == 2:
        print("NOTHING AUDITED: no vulnerability service answered", file=sys.stderr)


def main() -> int:
    result = audit(run_pip_audit())
    show(result)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
