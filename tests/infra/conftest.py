"""Loads the Terraform configuration offline (python-hcl2) into plain, quote-free Python values.

No terraform binary exists here, so the tests read the HCL itself: ``TerraformConfig`` indexes every
resource, data source, local and variable of ``terraform/*.tf`` and can expand the instance names of
a ``for_each`` resource whose name is a simple template of ``each.key`` / ``each.value.<field>``,
``var.<name>`` (from a given set of variables) and string locals built the same way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

hcl2 = pytest.importorskip("hcl2", reason="python-hcl2 is needed to read the Terraform files")

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = REPO_ROOT / "terraform"

# The variables names are rendered with unless a test gives its own (e.g. two environments).
DEFAULT_VARIABLES = {"project_id": "my-courtside-project", "environment": "prod"}


def clean(value: Any) -> Any:
    """Drop python-hcl2's markers and the quotes it keeps around string literals."""
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"')
    return value


@dataclass
class Block:
    kind: str  # resource | data
    type: str
    name: str
    body: dict[str, Any]
    comments: list[str]
    file: Path

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"

    def get(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default)

    def block(self, key: str) -> dict[str, Any]:
        """The single nested block ``key`` (HCL blocks come back as one-element lists)."""
        blocks = self.body.get(key)
        assert isinstance(blocks, list), f"{self.address} has no {key} block"
        assert len(blocks) == 1, f"{self.address} needs exactly one {key} block"
        nested: dict[str, Any] = blocks[0]
        return nested


@dataclass
class TerraformConfig:
    resources: dict[str, Block] = field(default_factory=dict)
    data: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    topology: dict[str, Any] = field(default_factory=dict)
    bigquery: dict[str, Any] = field(default_factory=dict)

    def of_type(self, resource_type: str) -> dict[str, Block]:
        return {b.name: b for b in self.resources.values() if b.type == resource_type}

    def generated(self, for_each: str) -> dict[str, Any]:
        """The generated map a ``for_each`` expression such as ``${local.topology.topics}`` points at."""
        match = re.fullmatch(r"\$\{(?:toset\()?local\.(topology|bigquery)\.(\w+)\)?\}", for_each)
        assert match, f"for_each {for_each!r} does not iterate over generated data"
        source = self.topology if match.group(1) == "topology" else self.bigquery
        items = source[match.group(2)]
        return {item: item for item in items} if isinstance(items, list) else dict(items)

    def instance_names(
        self, block: Block, attribute: str = "name", variables: dict[str, str] | None = None
    ) -> set[str]:
        """Expand ``attribute`` (a template of each.key / each.value.x / var.x / local.x) for every
        for_each instance."""
        instances = self.generated(block.get("for_each"))
        return {self.render(block.get(attribute), variables, key, value) for key, value in instances.items()}

    def render(
        self, template: str, variables: dict[str, str] | None = None, key: str = "", value: Any = None
    ) -> str:
        return render_template(template, key, value, variables or DEFAULT_VARIABLES, self.locals)


def render_template(
    template: str,
    key: str,
    value: Any,
    variables: dict[str, str] | None = None,
    locals_: dict[str, Any] | None = None,
) -> str:
    variables = DEFAULT_VARIABLES if variables is None else variables

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression == "each.key":
            return key
        if expression == "each.value":
            return str(value)
        if expression.startswith("each.value."):
            return str(value[expression.removeprefix("each.value.")])
        if expression.startswith("var.") and expression.removeprefix("var.") in variables:
            return variables[expression.removeprefix("var.")]
        local = (
            (locals_ or {}).get(expression.removeprefix("local."))
            if expression.startswith("local.")
            else None
        )
        if isinstance(local, str):
            return render_template(local, key, value, variables, locals_)
        replaced = re.fullmatch(r'replace\(each\.key, "(.*)", "(.*)"\)', expression.replace('\\"', '"'))
        if replaced:
            return key.replace(replaced.group(1), replaced.group(2))
        raise AssertionError(f"cannot expand ${{{expression}}} offline")

    return re.sub(r"\$\{([^{}]+)\}", substitute, template)


def load_config(directory: Path = TERRAFORM_DIR) -> TerraformConfig:
    config = TerraformConfig()
    for path in sorted(directory.glob("*.tf")):
        text = path.read_text(encoding="utf-8")
        config.texts[path] = text
        parsed = hcl2.loads(text)
        for kind, target in (("resource", config.resources), ("data", config.data)):
            for entry in parsed.get(kind, []):
                for type_label, named in entry.items():
                    for name_label, body in named.items():
                        block = Block(
                            kind=kind,
                            type=clean(type_label),
                            name=clean(name_label),
                            body=clean(body),
                            comments=[c["value"] for c in body.get("__comments__", [])],
                            file=path,
                        )
                        assert block.address not in target, f"{block.address} declared twice"
                        target[block.address] = block
        for entry in parsed.get("locals", []):
            for key, value in clean(entry).items():
                assert key not in config.locals, f"local.{key} declared twice"
                config.locals[key] = value
        for entry in parsed.get("variable", []):
            config.variables.update(clean(entry))
        for entry in parsed.get("output", []):
            config.outputs.update(clean(entry))
    generated = directory / "generated"
    config.topology = json.loads((generated / "topology.json").read_text(encoding="utf-8"))
    config.bigquery = json.loads((generated / "bigquery_tables.json").read_text(encoding="utf-8"))
    return config


@pytest.fixture(scope="session")
def terraform() -> TerraformConfig:
    return load_config()
