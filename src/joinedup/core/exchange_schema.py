"""The JSON Schema of the export, made from the apps' tables and shipped as `core/export.schema.json`.

`document_schema()` builds it from core.registry.exchange_parts (each table's fields, their types from the
models, keys and pointers); the shipped file is what imports are checked against (through the project's one
cached validator, analysis.reading_yaml.schema_validator), and a test fails when the two differ: after changing
a table, run `joinedup export --schema > src/joinedup/core/export.schema.json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import models
from jsonschema import Draft202012Validator

from joinedup.analysis.reading_yaml import schema_validator
from joinedup.core.exchange_spec import KEY_SCHEMA, Table

SCHEMA_PATH = Path(__file__).with_name("export.schema.json")
DATE = r"^\d{4}-\d{2}-\d{2}$"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
KEY = KEY_SCHEMA


def document_validator() -> Draft202012Validator:
    return schema_validator(SCHEMA_PATH)


def _nullable(schema: dict[str, Any], null: bool) -> dict[str, Any]:
    if not null:
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    kind = schema.get("type")
    return (
        {**schema, "type": [kind, "null"]} if isinstance(kind, str) else {"anyOf": [schema, {"type": "null"}]}
    )


def field_schema(model_field: Any) -> dict[str, Any]:
    """The JSON Schema of one stored field's value, from the model."""
    schema: dict[str, Any]
    if isinstance(model_field, models.JSONField):
        return {}
    if isinstance(model_field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(model_field, models.DateTimeField):
        schema = {"type": "string", "pattern": DATETIME}
    elif isinstance(model_field, models.DateField):
        schema = {"type": "string", "pattern": DATE}
    elif isinstance(model_field, models.DecimalField):
        schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(model_field, models.FloatField):
        schema = {"type": "number"}
    elif isinstance(model_field, models.IntegerField):
        schema = {"type": "integer", "minimum": 0 if "Positive" in type(model_field).__name__ else -(2**63)}
    else:
        schema = {"type": "string"}
        if model_field.choices:
            schema = {"enum": [str(value) for value, _label in model_field.flatchoices]}
            if model_field.blank and "" not in schema["enum"]:
                schema["enum"].append("")
        elif model_field.max_length:
            schema["maxLength"] = model_field.max_length
    return _nullable(schema, model_field.null)


def table_schema(table: Table) -> dict[str, Any]:
    """The schema of one record of `table` (its children's lists inside)."""
    properties: dict[str, Any] = {}
    if table.key:
        properties["key"] = KEY
    for name in table.fields:
        properties[name] = field_schema(table.model_field(name))
    for name in table.refs:
        properties[name] = _nullable(KEY, table.model_field(name).null)
    for name in table.many:
        properties[name] = {"type": "array", "items": KEY, "uniqueItems": True}
    for name in table.generic:
        properties[name] = {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {"kind": {"type": "string", "minLength": 1}, "key": KEY},
                    "required": ["kind", "key"],
                    "additionalProperties": False,
                },
                {"type": "null"},
            ]
        }
    for child in table.children:
        properties[child.name] = {"type": "array", "items": table_schema(child)}
    properties.update(table.extra)
    required = sorted(name for name in properties if name not in table.optional)
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def document_schema() -> dict[str, Any]:
    """The whole document's schema, from the registered parts."""
    from joinedup.core.exchange_export import FORMAT, VERSION, tables

    top, inner = tables("top"), tables("partnership")
    partnerships = next(table for table in top if table.name == "partnerships")
    partnership = table_schema(partnerships)
    for table in inner:
        partnership["properties"][table.name] = {"type": "array", "items": table_schema(table)}
    partnership["required"] = sorted(partnership["properties"])
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "exported_at": {"type": "string", "pattern": DATETIME},
        "scope": {
            "anyOf": [
                {"const": "all"},
                {
                    "type": "object",
                    "properties": {"partnership": KEY},
                    "required": ["partnership"],
                    "additionalProperties": False,
                },
            ]
        },
    }
    for table in top:
        if table.name != "partnerships":
            properties[table.name] = {"type": "array", "items": table_schema(table)}
    properties["partnerships"] = {"type": "array", "items": partnership}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://joinedup.example/schemas/export-1.json",
        "title": "A JoinedUp export (format version 1)",
        "description": "See docs/export.md. Keys name records; no database id is in the file.",
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }
