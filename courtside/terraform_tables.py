"""Turns the BigQuery DDL under ``schemas/bigquery/`` into the table data Terraform creates.

The DDL files stay the one source of every table and view: this module parses them with sqlglot and
returns, per table, the BigQuery schema JSON (types, modes, nested RECORD fields, descriptions),
time partitioning, clustering and description; per view, its SQL with every table reference fully
qualified. ``courtside.terraform_generate`` writes the result to ``terraform/generated/``; a test
fails when that file is stale.

Anything the DDL says that Terraform could not reproduce (an unknown OPTIONS key, range partitioning,
an unsupported type) raises ``UnsupportedDDLError`` instead of being dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from shared.schema_files import SCHEMAS_ROOT, TableDefinition, table_definitions
from shared.settings import DATASETS

# Placeholders Terraform replaces in view SQL (``replace()``): the project and the dataset suffix.
PROJECT_PLACEHOLDER = "__PROJECT__"
DATASET_SUFFIX_PLACEHOLDER = "__DATASET_SUFFIX__"

# The names the BigQuery API itself returns, so a plan after apply shows no type-alias diff.
_BIGQUERY_TYPE: dict[Any, str] = {  # sqlglot DataType.Type -> BigQuery schema type
    exp.DataType.Type.TEXT: "STRING",
    exp.DataType.Type.VARCHAR: "STRING",
    exp.DataType.Type.BIGINT: "INTEGER",
    exp.DataType.Type.INT: "INTEGER",
    exp.DataType.Type.DOUBLE: "FLOAT",
    exp.DataType.Type.FLOAT: "FLOAT",
    exp.DataType.Type.BOOLEAN: "BOOLEAN",
    exp.DataType.Type.DATE: "DATE",
    exp.DataType.Type.TIMESTAMPTZ: "TIMESTAMP",  # BigQuery TIMESTAMP is an absolute instant
    exp.DataType.Type.TIMESTAMP: "DATETIME",  # BigQuery DATETIME is a civil date and time
    exp.DataType.Type.DATETIME: "DATETIME",
    exp.DataType.Type.TIME: "TIME",
    exp.DataType.Type.DECIMAL: "NUMERIC",
    exp.DataType.Type.BIGDECIMAL: "BIGNUMERIC",
    exp.DataType.Type.BINARY: "BYTES",
    exp.DataType.Type.VARBINARY: "BYTES",
    exp.DataType.Type.JSON: "JSON",
    exp.DataType.Type.GEOGRAPHY: "GEOGRAPHY",
    exp.DataType.Type.STRUCT: "RECORD",
}
_TRUNC_UNITS = {"DAY", "HOUR", "MONTH", "YEAR"}
_TABLE_OPTIONS = {"description", "friendly_name", "require_partition_filter", "partition_expiration_days"}


class UnsupportedDDLError(ValueError):
    """The DDL uses something the Terraform table data cannot express."""


def terraform_tables(root: Path = SCHEMAS_ROOT) -> dict[str, dict[str, Any]]:
    """Everything Terraform needs, keyed ``tables``/``views`` then by ``dataset.table``."""
    tables: dict[str, Any] = {}
    views: dict[str, Any] = {}
    for definition in table_definitions(root):
        try:
            create = _parse_create(definition)
            if definition.is_view:
                views[definition.qualified_name] = view_entry(definition, create)
            else:
                tables[definition.qualified_name] = table_entry(definition, create)
        except UnsupportedDDLError as exc:
            raise UnsupportedDDLError(f"{definition.dataset}/{definition.name}.sql: {exc}") from exc
    return {"tables": tables, "views": views}


def _parse_create(definition: TableDefinition) -> exp.Create:
    statements = [s for s in sqlglot.parse(definition.ddl, read="bigquery") if s is not None]
    if len(statements) != 1 or not isinstance(statements[0], exp.Create):
        raise UnsupportedDDLError("expected exactly one CREATE statement")
    create = statements[0]
    table = create.find(exp.Table)
    if table is None or table.db != definition.dataset or table.name != definition.name:
        found = f"{table.db}.{table.name}" if table is not None else "nothing"
        raise UnsupportedDDLError(f"creates {found}, but its path says {definition.qualified_name}")
    return create


def table_entry(definition: TableDefinition, create: exp.Create) -> dict[str, Any]:
    schema = create.this
    if not isinstance(schema, exp.Schema):
        raise UnsupportedDDLError("CREATE TABLE without a column list (CREATE TABLE ... AS is not supported)")
    source_lines = definition.ddl.splitlines()
    fields = [_field(column, source_lines) for column in schema.expressions]
    options = _options(create)
    partitioning = _time_partitioning(create, options)
    return {
        "dataset": definition.dataset,
        "table": definition.name,
        "description": options.get("description") or _leading_comment(create),
        "friendly_name": options.get("friendly_name"),
        "schema": fields,
        "time_partitioning": partitioning,
        "require_partition_filter": bool(options.get("require_partition_filter", False)),
        "clustering": [column.name for column in _cluster_columns(create)],
    }


def view_entry(definition: TableDefinition, create: exp.Create) -> dict[str, Any]:
    query = create.expression
    if not isinstance(query, exp.Query):
        raise UnsupportedDDLError("CREATE VIEW without a query")
    options = _options(create)
    unknown = set(options) - {"description", "friendly_name"}
    if unknown:
        raise UnsupportedDDLError(f"view OPTIONS not supported: {sorted(unknown)}")
    qualified = query.copy()
    references: set[str] = set()
    for table in qualified.find_all(exp.Table):
        if table.db in DATASETS:
            references.add(f"{table.db}.{table.name}")
            table.set("catalog", exp.to_identifier(PROJECT_PLACEHOLDER))
            table.set("db", exp.to_identifier(f"{table.db}{DATASET_SUFFIX_PLACEHOLDER}"))
        elif table.db:
            raise UnsupportedDDLError(f"view reads {table.db}.{table.name}, outside the known datasets")
    return {
        "dataset": definition.dataset,
        "table": definition.name,
        "description": options.get("description") or _leading_comment(create),
        "friendly_name": options.get("friendly_name"),
        "query": qualified.sql(dialect="bigquery", pretty=True, identify=True),
        "references": sorted(references),
    }


def _field(column: exp.ColumnDef, source_lines: list[str]) -> dict[str, Any]:
    kind = column.args.get("kind")
    if not isinstance(kind, exp.DataType):
        raise UnsupportedDDLError(f"column {column.name} has no type")
    required = any(isinstance(c.kind, exp.NotNullColumnConstraint) for c in _constraints(column))
    mode = "REQUIRED" if required else "NULLABLE"
    if kind.is_type(exp.DataType.Type.ARRAY):
        element = kind.expressions[0] if kind.expressions else None
        if not isinstance(element, exp.DataType) or element.is_type(exp.DataType.Type.ARRAY):
            raise UnsupportedDDLError(f"column {column.name}: ARRAY of {element} is not a BigQuery column")
        # BigQuery has no NOT NULL arrays: an absent array is an empty one, mode REPEATED either way.
        kind, mode = element, "REPEATED"
    field: dict[str, Any] = {"name": column.name, "type": _type_name(column.name, kind), "mode": mode}
    field.update(_type_parameters(column.name, kind))
    description = _column_description(column, source_lines)
    if description:
        field["description"] = description
    if kind.is_type(exp.DataType.Type.STRUCT):
        members = [m for m in kind.expressions if isinstance(m, exp.ColumnDef)]
        if len(members) != len(kind.expressions) or not members:
            raise UnsupportedDDLError(f"column {column.name}: STRUCT members must be named")
        field["fields"] = [_field(member, source_lines) for member in members]
    return field


def _type_name(column: str, kind: exp.DataType) -> str:
    name = _BIGQUERY_TYPE.get(kind.this)
    if name is None:
        raise UnsupportedDDLError(f"column {column}: type {kind.sql(dialect='bigquery')} is not supported")
    return name


def _type_parameters(column: str, kind: exp.DataType) -> dict[str, str]:
    if kind.is_type(exp.DataType.Type.STRUCT):
        return {}
    parameters = [p.this.name for p in kind.expressions if isinstance(p, exp.DataTypeParam)]
    if not parameters:
        return {}
    name = _type_name(column, kind)
    if name in ("STRING", "BYTES") and len(parameters) == 1:
        return {"maxLength": parameters[0]}
    if name in ("NUMERIC", "BIGNUMERIC") and len(parameters) in (1, 2):
        return dict(zip(("precision", "scale"), parameters, strict=False))
    raise UnsupportedDDLError(f"column {column}: parameters {parameters} not supported for {name}")


def _constraints(column: exp.ColumnDef) -> list[exp.ColumnConstraint]:
    return [c for c in column.args.get("constraints") or [] if isinstance(c, exp.ColumnConstraint)]


def _column_description(column: exp.ColumnDef, source_lines: list[str]) -> str | None:
    """OPTIONS(description=...) if given, else the ``--`` comment on the column's own line."""
    for constraint in _constraints(column):
        if isinstance(constraint.kind, exp.Properties):
            options = _property_values(constraint.kind)
            unknown = set(options) - {"description"}
            if unknown:
                raise UnsupportedDDLError(f"column {column.name}: OPTIONS {sorted(unknown)} not supported")
            if options.get("description"):
                return str(options["description"])
    # sqlglot attaches a comment to a nearby node; keep it only when it really sits on this column's line.
    pattern = re.compile(rf"^\s*`?{re.escape(column.name)}`?\s.*--\s*(?P<text>.+?)\s*$")
    for comment in column.comments or []:
        text = comment.strip()
        if text and any((m := pattern.match(line)) and m.group("text") == text for line in source_lines):
            return text
    return None


def _options(create: exp.Create) -> dict[str, Any]:
    options: dict[str, Any] = {}
    properties = create.args.get("properties")
    if isinstance(properties, exp.Properties):
        options = _property_values(properties)
    unknown = set(options) - _TABLE_OPTIONS
    if unknown:
        raise UnsupportedDDLError(f"OPTIONS {sorted(unknown)} not supported by the generator")
    return options


def _property_values(properties: exp.Properties) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for prop in properties.expressions:
        if type(prop) is not exp.Property:
            continue  # partitioning and clustering are read by their own functions
        key = prop.name.lower()
        value = prop.args.get("value")
        if isinstance(value, exp.Boolean):
            values[key] = bool(value.this)
        elif isinstance(value, exp.Literal):
            values[key] = value.this if value.is_string else float(value.this)
        else:
            raise UnsupportedDDLError(f"OPTIONS {key} must be a literal, not {value}")
    return values


def _time_partitioning(create: exp.Create, options: dict[str, Any]) -> dict[str, Any] | None:
    partition = create.find(exp.PartitionedByProperty)
    expiration_days = options.get("partition_expiration_days")
    if partition is None:
        if expiration_days is not None or options.get("require_partition_filter"):
            raise UnsupportedDDLError("partition options on a table without PARTITION BY")
        return None
    column, unit = _partition_column(partition.this)
    return {
        "type": unit,
        "field": column,
        "expiration_ms": None if expiration_days is None else int(expiration_days * 86_400_000),
    }


def _partition_column(expression: exp.Expression) -> tuple[str | None, str]:
    if isinstance(expression, exp.Column | exp.Identifier):
        if expression.name.upper() in ("_PARTITIONDATE", "_PARTITIONTIME"):
            return None, "DAY"  # ingestion-time partitioning
        return expression.name, "DAY"
    if isinstance(expression, exp.Date | exp.TsOrDsToDate) and isinstance(expression.this, exp.Column):
        # PARTITION BY DATE(timestamp_column): daily partitions of a TIMESTAMP or DATETIME column.
        return expression.this.name, "DAY"
    if isinstance(expression, exp.DateTrunc | exp.TimestampTrunc | exp.DatetimeTrunc):
        unit = expression.args.get("unit")
        unit_name = unit.name.upper() if unit is not None else ""
        if isinstance(expression.this, exp.Column) and unit_name in _TRUNC_UNITS:
            return expression.this.name, unit_name
    raise UnsupportedDDLError(f"PARTITION BY {expression.sql(dialect='bigquery')} is not supported")


def _cluster_columns(create: exp.Create) -> list[exp.Column]:
    cluster = create.find(exp.ClusterProperty)
    if cluster is None:
        return []
    columns = [c for c in cluster.expressions if isinstance(c, exp.Column)]
    if len(columns) != len(cluster.expressions) or len(columns) > 4:
        raise UnsupportedDDLError("CLUSTER BY takes at most four plain columns")
    return columns


def _leading_comment(create: exp.Create) -> str | None:
    text = " ".join(c.strip() for c in create.comments or [] if c.strip())
    return text or None
