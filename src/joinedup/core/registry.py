"""What apps contribute to the shell, filled from each app's `hooks.py` when Django starts (CoreConfig.ready).

    # networks/hooks.py
    from joinedup.core.registry import Section, WaveKindEntry, api_routers, sections, wave_kinds

    wave_kinds.add(WaveKindEntry(key="relationship", label="Relationship survey", respond=views.respond,
                                 results_url_name="networks:wave"))
    sections.add(Section(key="relationships", title="Working relationships", order=30, ...))
    api_routers.add(ApiRouter(key="networks", router=api.router))

The shell (core, register's partnership page, surveys, the project's api.py) reads the registries and never
names the apps that filled them, so adding a capability touches no other app. Job runners register the same
way from each app's `jobs.py` (core.jobs). See docs/adding-a-capability.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.http import HttpRequest, HttpResponse

from joinedup.core.permissions import Permission, has_permission


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


T = TypeVar("T", bound=Keyed)


class Registry(Generic[T]):
    """Entries by key; registering a second, different entry under a key is a mistake and raises."""

    def __init__(self, what: str, *, order: Callable[[T], Any] | None = None) -> None:
        self.what = what
        self._entries: dict[str, T] = {}
        self._order = order

    def add(self, entry: T) -> T:
        existing = self._entries.get(entry.key)
        if existing is not None and existing != entry:
            raise ValueError(f"Two {self.what} registered as {entry.key!r}")
        self._entries[entry.key] = entry
        return entry

    def remove(self, key: str) -> None:
        """Take an entry out (tests that register a throwaway app put things back this way)."""
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __iter__(self) -> Iterator[T]:
        entries = list(self._entries.values())
        return iter(sorted(entries, key=self._order) if self._order else entries)

    def __len__(self) -> int:
        return len(self._entries)


# ---- wave kinds (the surveys app runs waves; the app that defines a kind answers and shows it) ----------


class Respond(Protocol):
    def __call__(self, request: HttpRequest, target: Any, token: str, step: str) -> HttpResponse: ...


class OnClose(Protocol):
    def __call__(self, wave: Any) -> None: ...


@dataclass(frozen=True)
class WaveKindEntry:
    """A kind of survey wave; `key` is stored in `Wave.kind` and `label` names it in forms and pages.
    `respond` answers a survey link of a wave of this kind (the link's target from
    surveys.services.link_resolve, the token, and the step of the form, "" for the first);
    `results_url_name` is the page that shows a wave's results, reversed with the wave's pk, to those who hold
    `results_permission` in the wave's partnership. `needs_instrument`: a wave of this kind is created with a
    validated instrument (a questionnaire file). `on_close`, if given, runs once a wave of this kind has
    closed (after the closing is committed): the app rescores it or makes its final release."""

    key: str
    label: str
    respond: Respond
    results_url_name: str
    results_permission: Permission = Permission.PARTNERSHIP_VIEW
    needs_instrument: bool = False
    on_close: OnClose | None = None


wave_kinds: Registry[WaveKindEntry] = Registry("wave kinds", order=lambda k: k.key)


def wave_kind_choices() -> list[tuple[str, str]]:
    """The registered kinds as (key, label) choices, for `Wave.kind` and the forms."""
    return [(entry.key, entry.label) for entry in wave_kinds]


# ---- sections of the partnership page -------------------------------------------------------------------


class SectionContext(Protocol):
    def __call__(self, *, user: Any, partnership: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Section:
    """One section of the partnership page: shown, in `order`, to those who hold `permission` in the
    partnership. `context` is a selector that returns what `template` needs in a fixed number of queries,
    whatever the partnership's size; the template also gets `partnership` and `user`."""

    key: str
    title: str
    order: int
    permission: Permission
    template: str
    context: SectionContext


sections: Registry[Section] = Registry("partnership-page sections", order=lambda s: (s.order, s.key))


# ---- API routers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja Router an app adds to /api/v1/ (its paths are absolute below /api/v1/)."""

    key: str
    router: Any
    order: int = 100


api_routers: Registry[ApiRouter] = Registry("API routers", order=lambda r: (r.order, r.key))


# ---- tools on the home page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tool:
    """A link in the home page's "Tools" list, for any signed-in user: `url_name` reversed with no arguments,
    then `description` (what it does, in one line)."""

    key: str
    title: str
    url_name: str
    description: str
    order: int = 100


tools: Registry[Tool] = Registry("home-page tools", order=lambda t: (t.order, t.key))


# ---- what needs the user, on their home page ------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """One thing waiting for a user: `title` says what, in one line, `reason` why it is theirs (or how far it
    has got), `url` where to do it; `due` orders it (overdue first, then soonest; undated last)."""

    title: str
    reason: str
    url: str
    partnership: str
    due: datetime.date | None = None
    overdue: bool = False


class NeedsSelector(Protocol):
    def __call__(self, *, user: Any, today: datetime.date) -> list[Need]: ...


@dataclass(frozen=True)
class NeedsSource:
    """An app's contribution to the "needs you" home: `needs` is a selector that makes a fixed number of
    queries whatever the number of the user's partnerships."""

    key: str
    needs: NeedsSelector


needs_sources: Registry[NeedsSource] = Registry("needs-you sources")


def needs_for(*, user: Any, today: datetime.date) -> list[Need]:
    """Everything every app says is waiting for `user`, most urgent first."""
    found = [need for source in needs_sources for need in source.needs(user=user, today=today)]
    far = datetime.date.max
    return sorted(found, key=lambda n: (not n.overdue, n.due or far, n.partnership, n.title))


# ---- published results on the place page ----------------------------------------------------------------


@dataclass(frozen=True)
class ResultLink:
    """A link from the place page to a page of a partnership's results (which applies disclosure control)."""

    partnership_id: int
    title: str
    url: str
    note: str = ""


class PlaceResultsSelector(Protocol):
    def __call__(self, *, user: Any, partnerships: list[Any]) -> list[ResultLink]: ...


@dataclass(frozen=True)
class PlaceResults:
    """An app's results for the place page: links, for the partnerships given that `user` may see, to the pages
    where the results are published. `results` makes a fixed number of queries whatever the number of
    partnerships, and links only to pages the user may open."""

    key: str
    results: PlaceResultsSelector


place_results: Registry[PlaceResults] = Registry("place-page results")


def place_results_for(*, user: Any, partnerships: list[Any]) -> dict[int, list[ResultLink]]:
    """Every app's result links for `partnerships`, by partnership id."""
    found: dict[int, list[ResultLink]] = {}
    for source in place_results:
        for link in source.results(user=user, partnerships=partnerships):
            found.setdefault(link.partnership_id, []).append(link)
    return found


# ---- what the place page says about each partnership's health (the insight app's flags and ladder) --------


@dataclass(frozen=True)
class PlaceFact:
    """One line the place page (and its download) shows for a partnership: a label, a short value in words,
    the page that explains it, and, for flags, their titles and the most severe level ("" when none)."""

    partnership_id: int
    label: str
    value: str
    url: str = ""
    details: tuple[str, ...] = ()
    severity: str = ""


class PlaceFactsSelector(Protocol):
    def __call__(self, *, user: Any, partnerships: list[Any]) -> list[PlaceFact]: ...


@dataclass(frozen=True)
class PlaceFacts:
    """An app's facts for the place page, for the partnerships given, as `user` may see them: a fixed number
    of queries whatever the number of partnerships; only what the app's own pages would show that user."""

    key: str
    facts: PlaceFactsSelector
    order: int = 100


place_facts: Registry[PlaceFacts] = Registry("place-page facts", order=lambda f: (f.order, f.key))


def place_facts_for(*, user: Any, partnerships: list[Any]) -> dict[int, list[PlaceFact]]:
    """Every app's facts for `partnerships`, by partnership id, in the registry's order."""
    found: dict[int, list[PlaceFact]] = {}
    for source in place_facts:
        for fact in source.facts(user=user, partnerships=partnerships):
            found.setdefault(fact.partnership_id, []).append(fact)
    return found


# ---- records other apps may point at (a "you said, we did" entry names a decision, an indicator) ----------


@dataclass(frozen=True)
class RecordRef:
    """One record of a registered kind: what a link to it shows (`title`) and where it goes (`url`)."""

    kind: str
    id: int
    title: str
    url: str
    partnership_id: int


class RecordOptions(Protocol):
    def __call__(self, *, partnership: Any) -> list[RecordRef]: ...


class RecordResolve(Protocol):
    def __call__(self, *, ids: list[int]) -> list[RecordRef]: ...


@dataclass(frozen=True)
class RecordKind:
    """A kind of record another app may link to without importing the app that keeps it: stored as
    (`key`, id). `options(partnership=)` lists the records of the partnership one may choose from (for a form),
    `resolve(ids=)` finds the given ones (missing ids are left out) — each in a fixed number of queries."""

    key: str
    label: str
    options: RecordOptions
    resolve: RecordResolve


record_kinds: Registry[RecordKind] = Registry("record kinds", order=lambda k: k.key)


def record_kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in record_kinds]


def records_resolve(refs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], RecordRef]:
    """The records named by (kind, id) pairs, one `resolve` call per kind; unknown kinds and ids are left out."""
    wanted: dict[str, set[int]] = {}
    for kind, ident in refs:
        wanted.setdefault(kind, set()).add(ident)
    found: dict[tuple[str, int], RecordRef] = {}
    for key, ids in wanted.items():
        entry = record_kinds.get(key)
        if entry is None:
            continue
        for ref in entry.resolve(ids=sorted(ids)):
            found[(ref.kind, ref.id)] = ref
    return found


# ---- the partnership's one timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """Something that happened to a partnership, from any app: `kind` is a short label ("Meeting",
    "Decision", "Signal"), `title` one line, `url` the page that shows it ("" for none)."""

    date: datetime.date
    kind: str
    title: str
    url: str = ""
    detail: str = ""


class TimelineSelector(Protocol):
    def __call__(self, *, user: Any, partnership: Any, limit: int) -> list[TimelineEntry]: ...


@dataclass(frozen=True)
class TimelineSource:
    """An app's entries on the partnership timeline, newest first, at most `limit`, only those `user` may
    see, in a fixed number of queries; shown to those who hold `permission` in the partnership."""

    key: str
    entries: TimelineSelector
    permission: Permission = Permission.PARTNERSHIP_VIEW


timeline_sources: Registry[TimelineSource] = Registry("timeline sources", order=lambda s: s.key)


def timeline_for(*, user: Any, partnership: Any, limit: int = 30) -> list[TimelineEntry]:
    """The partnership's timeline from every source the user may see, newest first, at most `limit`."""
    found: list[TimelineEntry] = []
    for source in timeline_sources:
        if has_permission(user, source.permission, partnership):
            found.extend(source.entries(user=user, partnership=partnership, limit=limit))
    return sorted(found, key=lambda e: (e.date, e.kind, e.title), reverse=True)[:limit]


# ---- facts for the warning flags and the integration ladder (the insight app reads them) -----------------


class FactsSelector(Protocol):
    def __call__(self, *, partnership: Any, today: datetime.date) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FlagFacts:
    """What an app knows about one partnership for the warning flags: `facts(partnership=, today=)` returns
    fields of `analysis.flag_snapshot.PartnershipSnapshot` (`"meetings"`, `"indicators"`, ...) holding that
    module's fact dataclasses, plus any `"health.<app>"` key with plain JSON for the health page. A fixed
    number of queries whatever the partnership's size; only figures already released (disclosure control):
    a hidden figure never goes into a snapshot. Providers never return the same snapshot field."""

    key: str
    facts: FactsSelector


flag_facts: Registry[FlagFacts] = Registry("flag-fact providers", order=lambda f: f.key)


@dataclass(frozen=True)
class LadderSpan:
    """One arrangement in force over a span of days, for the integration ladder's journey: `arrangement` is an
    agreement kind or a section 75 arrangement (`analysis.ladder.Evidence.arrangements`); `aims` says whether
    it had an aims-and-outcomes clause; `end` is None while it is in force."""

    arrangement: str
    start: datetime.date
    end: datetime.date | None
    title: str
    url: str
    aims: bool = False


class LadderSelector(Protocol):
    def __call__(self, *, partnership: Any) -> list[LadderSpan]: ...


@dataclass(frozen=True)
class LadderEvidence:
    """An app's dated evidence for the integration ladder, in a fixed number of queries."""

    key: str
    spans: LadderSelector


ladder_evidence: Registry[LadderEvidence] = Registry("ladder evidence", order=lambda e: e.key)
