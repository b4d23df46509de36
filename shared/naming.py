"""Every Google Cloud resource name, derived in one place from the environment and the topology.

One ``environment`` (``COURTSIDE_ENVIRONMENT``, Terraform ``var.environment``, e.g. ``prod`` or
``dev``) prefixes every resource, so two environments live side by side in one project. The
Terraform expressions in ``terraform/locals.tf`` follow the same rules; ``tests/infra`` renders both
for two environments and checks they agree and never clash.

With no environment (the embedded default, emulators) names are the topology's bare names
(``raw-objects``, ``nba_raw``, ``<project>-courtside-raw``): the local default is unchanged.

Service account ids are limited to 30 characters (``[a-z][-a-z0-9]{4,28}[a-z0-9]``), hence the
short ``cs-`` prefix there and the 12-character cap on the environment name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

APP = "courtside"
ENVIRONMENT_PATTERN = re.compile(r"[a-z][a-z0-9]{1,11}")
SERVICE_ACCOUNT_ID_MAX = 30
BUCKET_NAME_MAX = 63
BUCKET_ROLES: tuple[str, ...] = ("raw", "models", "sources")


class NamingError(ValueError):
    """An environment name that cannot prefix every resource."""


def check_environment(environment: str) -> str:
    if environment and not ENVIRONMENT_PATTERN.fullmatch(environment):
        raise NamingError(
            f"environment {environment!r} must be 2-12 lowercase letters or digits, starting with a letter"
        )
    return environment


@dataclass(frozen=True)
class ResourceNames:
    project: str
    environment: str = ""

    def __post_init__(self) -> None:
        check_environment(self.environment)

    @property
    def prefix(self) -> str:
        """Prefix of topics, subscriptions, functions, schedules, the secret and log metrics."""
        return f"{APP}-{self.environment}-" if self.environment else ""

    def topic(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def subscription(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def function(self, function: str) -> str:
        return f"{self.prefix or APP + '-'}{function.replace('_', '-')}"

    def schedule(self, name: str) -> str:
        return f"{self.prefix or APP + '-'}{name}"

    def secret(self, name: str) -> str:
        return f"{self.prefix or APP + '-'}{name.replace('_', '-')}"

    @property
    def dataset_suffix(self) -> str:
        return f"_{self.environment}" if self.environment else ""

    def dataset(self, base: str) -> str:
        return f"{base}{self.dataset_suffix}"

    def bucket(self, role: str) -> str:
        """``raw``, ``models`` or ``sources``: bucket names are global, so they carry the project."""
        if role not in BUCKET_ROLES:
            raise KeyError(f"unknown bucket role {role!r}; roles are {BUCKET_ROLES}")
        middle = f"{APP}-{self.environment}" if self.environment else APP
        return f"{self.project}-{middle}-{role}"

    def service_account_id(self, role: str) -> str:
        """A function name (``feature_store``) or ``push-invoker`` / ``builder``."""
        environment = f"{self.environment}-" if self.environment else ""
        return f"cs-{environment}{role.replace('_', '-')}"
