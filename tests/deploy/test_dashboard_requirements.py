"""The dashboard image installs requirements/dashboard.txt: its pins match the tested environment and
cover what the dashboard serves with (Flask under gunicorn, BigQuery on the gcp backend)."""

from __future__ import annotations

from courtside.vendor import pinned_versions
from tests.conftest import REPO_ROOT

DASHBOARD = REPO_ROOT / "requirements" / "dashboard.txt"


def test_dashboard_pins_match_the_tested_environment() -> None:
    dev = pinned_versions(REPO_ROOT / "requirements" / "dev.txt")
    for name, version in pinned_versions(DASHBOARD).items():
        assert dev.get(name) == version, f"dashboard pins {name}=={version}, tests run {dev.get(name)}"


def test_dashboard_image_has_its_server_and_warehouse_clients() -> None:
    assert {"flask", "gunicorn", "google-cloud-bigquery", "pydantic"} <= set(pinned_versions(DASHBOARD))
    dockerfile = (REPO_ROOT / "courtside" / "dashboard" / "Dockerfile").read_text(encoding="utf-8")
    assert "requirements/dashboard.txt" in dockerfile
    assert "courtside.dashboard.wsgi:app" in dockerfile
