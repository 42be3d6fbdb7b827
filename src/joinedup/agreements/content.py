"""The content of a version as plain data: what is hashed, signed, diffed and read by the classifier.

`content_of(version)` loads it from the database; `content_hash(content)` is the SHA-256 hex digest of
its canonical JSON (sorted keys, no whitespace, dates ISO, amounts as fixed two-decimal strings), so the
same clauses, fields and contributions always give the same hash.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from joinedup.agreements.choices import VersionStatus
from joinedup.agreements.integrity import FIELD_NAMES
from joinedup.agreements.models import AgreementVersion


@dataclass(frozen=True)
class ClauseData:
    kind: str
    text: str
    order: int = 0  # position in the version; services number clauses 1, 2, 3 ... in the order given


@dataclass(frozen=True)
class ContributionData:
    organisation_id: int
    kind: str
    amount: Decimal | None = None
    unit: str = ""
    period: str = ""
    description: str = ""


@dataclass(frozen=True)
class VersionContent:
    clauses: tuple[ClauseData, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    contributions: tuple[ContributionData, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (used for the conflict message and the audit log)."""
        return json.loads(canonical_json(self))


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def contribution_key(c: ContributionData) -> tuple[Any, ...]:
    return (c.organisation_id, c.kind, c.unit, c.period, _amount(c.amount) or "", c.description)


def canonical_json(content: VersionContent) -> str:
    data = {
        "clauses": [{"kind": c.kind, "order": c.order, "text": c.text} for c in content.clauses],
        "fields": {name: _plain(content.fields.get(name)) for name in FIELD_NAMES},
        "contributions": [
            {**asdict(c), "amount": _amount(c.amount)}
            for c in sorted(content.contributions, key=contribution_key)
        ],
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: VersionContent) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def fields_of(version: AgreementVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in FIELD_NAMES}


def hashed_id(version: AgreementVersion, organisation_id: int | None) -> int | None:
    """The organisation id `version`'s hash was computed with: the id here, or, for a version imported from
    another installation (core.exchange), the id the organisation had there (`hash_organisation_ids`)."""
    if organisation_id is None:
        return None
    return int((version.hash_organisation_ids or {}).get(str(organisation_id), organisation_id))


def content_of(version: AgreementVersion) -> VersionContent:
    """A version's content from the database (uses prefetched clauses/contributions when present), with each
    organisation as its hash names it (`hashed_id`)."""
    fields = fields_of(version)
    for name in ("chair_organisation_id", "host_organisation_id"):
        fields[name] = hashed_id(version, fields[name])
    return VersionContent(
        clauses=tuple(
            ClauseData(kind=c.kind, text=c.text, order=c.order)
            for c in sorted(version.clauses.all(), key=lambda c: c.order)
        ),
        fields=fields,
        contributions=tuple(
            ContributionData(
                organisation_id=hashed_id(version, c.organisation_id),  # type: ignore[arg-type]
                kind=c.kind,
                amount=c.amount,
                unit=c.unit,
                period=c.period,
                description=c.description,
            )
            for c in version.contributions.all()
        ),
    )


def content_intact(version: AgreementVersion) -> bool:
    """Whether a proposed or signed version's stored content still gives the hash it was proposed (and signed)
    with; a draft has no hash and is always intact. Pages that show a version warn when it is not."""
    return version.status == VersionStatus.DRAFT or content_hash(content_of(version)) == version.content_hash


def altered_versions(*versions: AgreementVersion | None) -> list[AgreementVersion]:
    """Those of `versions` whose stored content no longer matches their hash (for the pages' warning)."""
    return [v for v in versions if v is not None and not content_intact(v)]
