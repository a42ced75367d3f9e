"""``make audit`` (tests/support/audit.py) fails on a known vulnerability, whichever way it was found, and does
not pass by auditing nothing. No network here: pip-audit's report and PyPI's project pages are given."""

from tests.support import audit

SKIPPED = "Dependency not found on PyPI and could not be audited: {name} ({version})"


def skipped(name: str, version: str) -> dict:
    return {"name": name, "skip_reason": SKIPPED.format(name=name, version=version)}


def page(version: str, *vulns: dict) -> dict:
    return {"info": {"version": version}, "vulnerabilities": list(vulns)}


VULN = {"id": "PYSEC-2099-1", "fixed_in": ["2.0.1"], "withdrawn": None, "aliases": ["CVE-2099-1"]}


def test_a_vulnerability_pip_audit_found_fails_the_audit():
    report = {"dependencies": [{"name": "jinja2", "version": "2.10", "vulns": [
        {"id": "GHSA-xxxx", "fix_versions": ["2.11.3"], "aliases": []}]}]}  # fmt: skip
    result = audit.audit(report, fetch=lambda _name: None)
    assert result.exit_code == 1
    assert result.findings == [audit.Finding("jinja2", "2.10", "GHSA-xxxx", ("2.11.3",), "pip-audit")]


def test_a_skipped_package_at_its_latest_release_is_audited_on_the_project_page():
    report = {"dependencies": [skipped("voila", "2.0.0"), skipped("altair", "6.3.0")]}
    pages = {"voila": page("2.0.0", VULN), "altair": page("6.3.0")}
    result = audit.audit(report, fetch=pages.get)
    assert result.exit_code == 1
    assert [(f.name, f.id, f.fixed_in) for f in result.findings] == [("voila", "PYSEC-2099-1", ("2.0.1",))]
    assert result.audited == ["voila 2.0.0", "altair 6.3.0"] and result.unaudited == []


def test_withdrawn_advisories_do_not_count():
    report = {"dependencies": [skipped("voila", "2.0.0")]}
    result = audit.audit(report, fetch={"voila": page("2.0.0", VULN | {"withdrawn": "2099-02-01"})}.get)
    assert result.exit_code == 0 and result.findings == []


def test_a_package_behind_its_latest_release_is_listed_not_passed_as_clean():
    report = {"dependencies": [skipped("numpy", "2.4.6"), skipped("pandas", "3.1.1")]}
    pages = {"numpy": page("2.5.5", VULN), "pandas": page("3.1.1")}  # the latest's advisories say nothing of 2.4.6
    result = audit.audit(report, fetch=pages.get)
    assert result.exit_code == 0 and result.findings == []
    assert result.audited == ["pandas 3.1.1"]
    assert len(result.unaudited) == 1 and result.unaudited[0].startswith("numpy 2.4.6: not the latest release")


def test_nothing_audited_is_a_failure_of_its_own():
    """No service answered (pip-audit skipped everything, PyPI unreachable): exit 2, never a green 0."""
    report = {"dependencies": [skipped("voila", "0.5.13"), skipped("altair", "6.3.0"),
                               {"name": "wijkleer", "skip_reason": "distribution marked as editable"}]}  # fmt: skip
    result = audit.audit(report, fetch=lambda _name: None)
    assert result.exit_code == 2 and result.audited == []
    assert len(result.unaudited) == 2  # the editable checkout itself is not a dependency to audit


def test_the_version_is_read_from_pip_audits_skip_reason():
    assert audit._installed(SKIPPED.format(name="vl-convert-python", version="1.9.0.post1")) == "1.9.0.post1"
    assert audit._installed("distribution marked as editable") is None
    assert audit._same_version("1.9.0.post1", "1.9.0-post1") and not audit._same_version("2.4.6", "2.5.5")
