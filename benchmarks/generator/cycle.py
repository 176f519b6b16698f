"""The 2022-23 cycle: where the example district is, the documents in official order with
their phase and owner, their deadlines, and the dates the history keeps within."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "sezp-district"
SCHEMAS = ROOT / "schemas"
CYCLE = "2022-23"
ZONE = ZoneInfo("America/New_York")
DOMAIN = "riverbend-ez.example.org"

DEFAULT_SCHOOLS = 1800
DEFAULT_COMMITS = 20000

SCAFFOLD_TIME = dt.datetime(2022, 2, 14, 9, 30)
HORIZON = dt.datetime(2022, 12, 16, 18, 0)  # no commit after this local time
DISTRICT_STAFF = ("Helen Marchetti", f"hmarchetti@{DOMAIN}")

Data = dict[str, Any]
Deadlines = dict[str, tuple[dt.datetime | None, dt.datetime | None]]

PHASE_START = {
    "I": dt.datetime(2022, 2, 22, 9, 0),
    "II": dt.datetime(2022, 4, 12, 9, 0),
    "III": dt.datetime(2022, 6, 8, 9, 0),
    "IV": dt.datetime(2022, 9, 12, 9, 0),
}
DOCUMENTS: dict[str, tuple[str, str]] = {  # id -> (phase, owner)
    "priority-levers": ("I", "TLT"),
    "working-conditions": ("I", "TLT"),
    "calendars": ("I", "TLT"),
    "sps-optional-services": ("I", "Principal"),
    "sezp-support-services": ("I", "Principal"),
    "summer-school-launch": ("I", "Principal"),
    "lever-goals": ("II", "TLT"),
    "tlt-transition": ("II", "TLT"),
    "summer-plan": ("II", "Principal"),
    "strategic-action-plan": ("III", "Principal"),
    "faculty-handbook": ("III", "Principal"),
    "mid-year-targets": ("IV", "TLT"),
    "tlt-selection": ("IV", "TLT"),
}
# summer-school-launch has no deadline: work is anchored here instead.
NO_DEADLINE_ANCHOR = dt.datetime(2022, 4, 15, 16, 0)
STATUSES = ("not-started", "in-progress", "draft", "final")


def load_deadlines() -> Deadlines:
    """(draft due, final due) of every document, local time, from the example cycle file."""
    cycle = yaml.load((EXAMPLE / "cycles" / f"{CYCLE}.yaml").read_text(), Loader=yaml.SafeLoader)

    def instant(value: object) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):  # a bare date means the end of that day
            return dt.datetime.combine(value, dt.time(23, 59))
        return dt.datetime.fromisoformat(str(value))

    out = {}
    for doc in DOCUMENTS:
        entry = cycle["documents"].get(doc) or {}
        out[doc] = (instant(entry.get("draft_due")), instant(entry.get("final_due")))
    return out


def aware(local: dt.datetime) -> dt.datetime:
    """A local wall-clock time in America/New_York, with that moment's UTC offset."""
    return local.replace(tzinfo=ZONE)
