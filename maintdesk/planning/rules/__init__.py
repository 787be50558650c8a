"""Notice-law rules as data: one TOML file per jurisdiction in `jurisdictions/`, read here.

The schema is described in README.md beside this file. A jurisdiction code such as US-NY-NYC
is looked up as US-NY-NYC, then US-NY, then US; what is left over (FR-57 → "57") names the
public-holiday subdivision. A code with no file falls back to `default` (MaintDesk's good
practice only). The evaluation is in maintdesk.planning.rules.engine.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays

from maintdesk.planning.findings import SEVERITIES
from maintdesk.planning.rules.counting import Clock, Counting
from maintdesk.records.models import Property
from maintdesk.timeutil import UTC, zone

RULES_DIR = Path(__file__).resolve().parent / "jurisdictions"
METHODS = ("hand", "email", "mail", "registered")
FORMS = ("any", "written", "text_form", "registered_or_hand")
ELEMENTS = ("date", "time", "time_window", "purpose", "nature", "start_date", "duration", "phone",
            "modalities", "manual")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WHEN_KEYS = {"emergency": bool, "nature": list, "vacate_days_over": int, "scope": list, "from": date, "until": date}
NATURES = ("inspection", "repair", "maintenance", "major", "modernisation", "showing")
SOURCE_TEXTS = ("official", "secondary")
_DURATION = re.compile(r"^(\d+)(h|bd|d|w|mo)$")
_UNIT_WORDS = {"h": ("h", "h"), "d": ("day", "days"), "bd": ("business day", "business days"), "w": ("week", "weeks"),
               "mo": ("month", "months")}


class RuleDataError(ValueError):
    """A rules file is malformed: a bug in MaintDesk's data, named by file and key."""


@dataclass(frozen=True)
class Duration:
    """Hours count real time; days, weeks and months count on the property's wall clock (business
    days, `bd`, and a rule's own counting are applied by maintdesk.planning.rules.counting.Clock)."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(str(text).strip())
        if not match:
            raise ValueError(f'"{text}" is not a duration such as 24h, 6d, 2bd, 1w or 3mo')
        return cls(int(match.group(1)), match.group(2))

    def before(self, moment: datetime, zone_name: str) -> datetime:
        return self._shift(moment, zone_name, -1)

    def after(self, moment: datetime, zone_name: str) -> datetime:
        return self._shift(moment, zone_name, 1)

    def _shift(self, moment: datetime, zone_name: str, sign: int) -> datetime:
        if self.unit == "h":
            return moment + sign * timedelta(hours=self.amount)
        wall = moment.astimezone(zone(zone_name)).replace(tzinfo=None)
        if self.unit in ("d", "bd", "w"):
            wall += sign * timedelta(days=self.amount * (7 if self.unit == "w" else 1))
        else:
            months = wall.year * 12 + wall.month - 1 + sign * self.amount
            year, month = divmod(months, 12)
            last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
            wall = wall.replace(year=year, month=month + 1, day=min(wall.day, last))
        return wall.replace(tzinfo=zone(zone_name)).astimezone(UTC)

    def __str__(self) -> str:
        one, many = _UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


def before(parts: tuple[Duration, ...], moment: datetime, zone_name: str) -> datetime:
    for part in parts:
        moment = part.before(moment, zone_name)
    return moment


def after(parts: tuple[Duration, ...], moment: datetime, zone_name: str) -> datetime:
    for part in reversed(parts):
        moment = part.after(moment, zone_name)
    return moment


def lead_text(parts: tuple[Duration, ...]) -> str:
    return " + ".join(str(p) for p in parts if p.amount) or "no time"


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    citation: str
    url: str
    encoded: date  # the day the rule was written into its file
    verified: dict[str, Any]  # {on, source, text, note} once a person read the statute's text; {} until then
    basis: str
    uncertain: tuple[str, ...]
    counting: Counting
    lease_governs: bool  # the statute sets no notice period: the lease does
    holidays: dict[str, Any]
    transit: dict[str, Duration]
    practice: dict[str, Duration]
    emergency: dict[str, str]
    notice: tuple[dict[str, Any], ...]
    entry: tuple[dict[str, Any], ...]
    content: tuple[dict[str, Any], ...]
    long_works: tuple[dict[str, Any], ...]

    def view(self) -> dict[str, Any]:
        verified = {key: value.isoformat() if isinstance(value, date) else value for key, value in self.verified.items()}
        return {"id": self.id, "name": self.name, "citation": self.citation, "url": self.url,
                "encoded": self.encoded.isoformat(), "verified": verified, "basis": self.basis,
                "uncertain": list(self.uncertain), "counting": self.counting.words(),
                "lease_governs": self.lease_governs}

    def clock(self, rest: list[str], prop: Property) -> Clock:
        """This rule's way of counting periods at `prop` (its zone and public holidays)."""
        return Clock(self.counting, prop.timezone, lambda day: holiday_name(self, rest, prop, day) is not None)


def _fail(path: Path, where: str, message: str) -> RuleDataError:
    return RuleDataError(f"{path.name}: {where}: {message}")


def _section(path: Path, name: str, index: int, item: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    where = f"{name}[{index}]"
    for key in required:
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise _fail(path, where, f"{key} is required text")
    if item.get("severity", "error") not in SEVERITIES:
        raise _fail(path, where, f"severity must be one of {SEVERITIES}")
    for key, value in item.get("when", {}).items():
        if key not in WHEN_KEYS or not isinstance(value, WHEN_KEYS[key]):
            raise _fail(path, f"{where}.when", f"{key} = {value!r} is not a known condition")
    if not set(item.get("when", {}).get("nature", ())) <= set(NATURES):
        raise _fail(path, f"{where}.when", f"nature must be among {', '.join(NATURES)}")
    try:
        if "lead" in item:
            item["lead"] = {m: Duration.parse(v) for m, v in item["lead"].items()}
            if not set(item["lead"]) <= {"any", *METHODS} or "any" not in item["lead"] and set(item["lead"]) != set(METHODS):
                raise ValueError("lead needs `any` or all of " + ", ".join(METHODS))
        if "over" in item:
            item["over"] = Duration.parse(item["over"])
        if "hours" in item:
            from maintdesk.records.terms import parse_period
            item["hours"] = parse_period(item["hours"])
    except ValueError as exc:
        raise _fail(path, where, str(exc)) from None
    checks = (("methods", METHODS), ("days", WEEKDAYS))
    for key, allowed in checks:
        if not set(item.get(key, ())) <= set(allowed):
            raise _fail(path, where, f"{key} must be among {', '.join(allowed)}")
    if item.get("form", "any") not in FORMS or item.get("element", "date") not in ELEMENTS:
        raise _fail(path, where, "unknown form or element")
    if item.get("hours_apply", "whole") not in ("start", "whole"):
        raise _fail(path, where, "hours_apply must be start or whole")
    if item.get("lead_from", "statute") not in ("statute", "reading", "practice"):
        raise _fail(path, where, "lead_from must be statute, reading or practice")
    return item


def load_file(path: Path) -> RuleSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "file", str(exc)) from None
    for key in ("id", "name", "citation", "basis"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise _fail(path, key, "is required text")
    if data["id"] != path.stem:
        raise _fail(path, "id", f'"{data["id"]}" must match the file name')
    if not isinstance(data.get("encoded"), date) or not isinstance(data.get("uncertain"), list):
        raise _fail(path, "encoded", "encoded (the date the rule was written) and uncertain (a list) are required")
    verified = _verified(path, data.get("verified", {}))
    try:
        counting = Counting.parse(data.get("counting", {}))
    except (TypeError, ValueError) as exc:
        raise _fail(path, "counting", str(exc)) from None
    if data["id"] != "default" and not str(data.get("url", "")).startswith("http"):
        raise _fail(path, "url", "a link to the statute's text is required")
    try:
        transit = {m: Duration.parse(v) for m, v in data.get("transit", {}).items()}
        practice = {k: Duration.parse(v) for k, v in data.get("practice", {}).items()}
    except ValueError as exc:
        raise _fail(path, "transit/practice", str(exc)) from None
    emergency = dict(data.get("emergency", {}))
    if "after" in emergency:
        try:
            emergency["after"] = Duration.parse(emergency["after"])
        except ValueError as exc:
            raise _fail(path, "emergency.after", str(exc)) from None
    lists = {}
    for name, required in (("notice", ("id", "title", "text", "citation")), ("entry", ("id", "title", "text", "citation")),
                           ("content", ("id", "element", "text", "citation")),
                           ("long_works", ("id", "title", "text", "citation"))):
        lists[name] = tuple(_section(path, name, i, dict(item), required) for i, item in enumerate(data.get(name, [])))
    # a required item of content is asked of an emergency notice only where the rule says so
    lists["content"] = tuple({**item, "when": {"emergency": False, **item.get("when", {})}} for item in lists["content"])
    return RuleSet(
        id=data["id"], name=data["name"], citation=data["citation"], url=data.get("url", ""),
        encoded=data["encoded"], verified=verified, basis=data["basis"], uncertain=tuple(data["uncertain"]),
        counting=counting, lease_governs=bool(data.get("lease_governs", False)),
        holidays=data.get("holidays", {}), transit=transit, practice=practice, emergency=emergency, **lists,
    )


def _verified(path: Path, verified: Any) -> dict[str, Any]:
    """`[verified]`: when and from what text a person read the statute; empty when nobody has yet."""
    if not isinstance(verified, dict):
        raise _fail(path, "verified", "must be a table with on, source and text")
    if verified and (not isinstance(verified.get("on"), date) or not str(verified.get("source", "")).startswith("http")
                     or verified.get("text") not in SOURCE_TEXTS):
        raise _fail(path, "verified", f"needs on (a date), source (an address) and text ({' or '.join(SOURCE_TEXTS)})")
    return dict(verified)


@lru_cache(maxsize=1)
def load_all() -> dict[str, RuleSet]:
    return {rule.id: rule for rule in map(load_file, sorted(RULES_DIR.glob("*.toml")))}


def lookup(jurisdiction: str) -> tuple[RuleSet, list[str], bool]:
    """(the rule, the code's leftover parts, True when it fell back to `default`)."""
    rules = load_all()
    parts = (jurisdiction or "default").split("-")
    for size in range(len(parts), 0, -1):
        code = "-".join(parts[:size])
        if code in rules:
            return rules[code], parts[size:], code == "default" and jurisdiction not in ("", "default")
    return rules["default"], [], True


def default_rule() -> RuleSet:
    return load_all()["default"]


@lru_cache(maxsize=64)
def _calendar(country: str, subdiv: str | None, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdiv, years=year)


def holiday_name(rule: RuleSet, rest: list[str], prop: Property, day: date) -> str | None:
    """The public holiday on `day` at the property, or None. The subdivision comes from the
    jurisdiction code's leftover (FR-57), else the property's region, else the rule's own."""
    country = rule.holidays.get("country") or prop.country
    if country not in holidays.list_supported_countries():  # no public-holiday calendar for it
        return None
    known = holidays.country_holidays(country, years=[]).subdivisions
    mapping = rule.holidays.get("subdiv_map", {})
    subdiv = rule.holidays.get("subdiv")
    for candidate in ("-".join(rest), prop.region.strip().upper()):
        candidate = mapping.get(candidate, candidate)
        if candidate and candidate in known:
            subdiv = candidate
            break
    return _calendar(country, subdiv, day.year).get(day)
