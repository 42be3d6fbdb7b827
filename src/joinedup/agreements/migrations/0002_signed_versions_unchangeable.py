"""Triggers that refuse any change to a proposed or signed version's content, on PostgreSQL and SQLite.

A clause or contribution of a version that is no longer a draft cannot be inserted, updated or deleted; such a
version's structured fields, hash, agreement and number cannot change, it cannot go back to draft, and it cannot
be deleted (nor, through the model's `on_delete`, the agreement holding it). Status changes (proposed -> in force -> superseded, proposed -> withdrawn) still work. The one way
round is `joinedup.agreements.integrity.purge_allowed()` (see there). The SQL is written out here, not imported,
so this migration stays what it was when applied.
"""

from typing import Any

from django.db import migrations, models

import joinedup.agreements.integrity

MESSAGE = "JoinedUp: a proposed or signed agreement version cannot be changed; start a new draft instead"
PARTS = ("clause", "contribution")
VERSION = "agreements_agreementversion"
FROZEN = (
    "agreement_id",
    "number",
    "term",
    "end_date",
    "review_interval_months",
    "decision_rule",
    "chairing",
    "chair_organisation_id",
    "host_organisation_id",
    "risk_share",
    "content_hash",
)


def _sqlite() -> list[str]:
    def frozen(ref: str) -> str:
        return f"(SELECT status FROM {VERSION} WHERE id = {ref}) <> 'draft'"

    raise_ = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    allowed = "joinedup_purge_allowed() = 0"
    sql = []
    for part in PARTS:
        table = f"agreements_{part}"
        sql += [
            f"CREATE TRIGGER agreements_frozen_{part}_insert BEFORE INSERT ON {table} "
            f"WHEN {frozen('NEW.version_id')} {raise_}",
            f"CREATE TRIGGER agreements_frozen_{part}_update BEFORE UPDATE ON {table} "
            f"WHEN {frozen('OLD.version_id')} OR {frozen('NEW.version_id')} {raise_}",
            f"CREATE TRIGGER agreements_frozen_{part}_delete BEFORE DELETE ON {table} "
            f"WHEN {allowed} AND {frozen('OLD.version_id')} {raise_}",
        ]
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    sql += [
        f"CREATE TRIGGER agreements_frozen_version_update BEFORE UPDATE ON {VERSION} "
        f"WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR {changed}) {raise_}",
        f"CREATE TRIGGER agreements_frozen_version_delete BEFORE DELETE ON {VERSION} "
        f"WHEN {allowed} AND OLD.status <> 'draft' {raise_}",
    ]
    return sql


def _postgresql() -> list[str]:
    allowed = "coalesce(current_setting('joinedup.purge_allowed', true), '') = 'on'"
    refuse = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';"
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
    part_function = f"""
CREATE OR REPLACE FUNCTION agreements_frozen_part() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT (TG_OP = 'DELETE' AND {allowed})
       AND (SELECT status FROM {VERSION} WHERE id = OLD.version_id) <> 'draft' THEN {refuse}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND (SELECT status FROM {VERSION} WHERE id = NEW.version_id) <> 'draft' THEN {refuse}
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$"""
    version_function = f"""
CREATE OR REPLACE FUNCTION agreements_frozen_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' AND NOT {allowed} THEN {refuse} END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (NEW.status = 'draft' OR {changed}) THEN {refuse} END IF;
    RETURN NEW;
END $$"""
    sql = [part_function, version_function]
    for part in PARTS:
        sql.append(
            f"CREATE TRIGGER agreements_frozen_{part} BEFORE INSERT OR UPDATE OR DELETE ON agreements_{part} "
            "FOR EACH ROW EXECUTE FUNCTION agreements_frozen_part()"
        )
    sql.append(
        f"CREATE TRIGGER agreements_frozen_version BEFORE UPDATE OR DELETE ON {VERSION} "
        "FOR EACH ROW EXECUTE FUNCTION agreements_frozen_version()"
    )
    return sql


def _drop(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS agreements_frozen_{p} ON agreements_{p}" for p in PARTS),
            f"DROP TRIGGER IF EXISTS agreements_frozen_version ON {VERSION}",
            "DROP FUNCTION IF EXISTS agreements_frozen_part()",
            "DROP FUNCTION IF EXISTS agreements_frozen_version()",
        ]
    names = [f"agreements_frozen_{p}_{op}" for p in PARTS for op in ("insert", "update", "delete")]
    names += ["agreements_frozen_version_update", "agreements_frozen_version_delete"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, _postgresql())
    elif vendor == "sqlite":
        _run(schema_editor, _sqlite())
    else:  # no trigger of ours for this database: the models and the pages' hash check still guard
        return


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, _drop(schema_editor.connection.vendor))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [
        # deleting an agreement is refused while it has a version that was ever proposed
        migrations.AlterField(
            model_name="agreementversion",
            name="agreement",
            field=models.ForeignKey(
                on_delete=joinedup.agreements.integrity.protect_signed,
                related_name="versions",
                to="agreements.agreement",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
