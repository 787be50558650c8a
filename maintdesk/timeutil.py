"""UTC storage format and conversion to and from a property's time zone."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = timezone.utc


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a trailing Z, to the second: '2026-12-01T08:30:00Z'."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: attach a time zone first")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_text(text: str) -> datetime:
    """Parse an ISO 8601 date-time with an offset or Z; returns it in UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; write it in UTC with Z or with an offset")
    return moment.astimezone(UTC)


def zone(name: str) -> ZoneInfo:
    """The IANA zone; raises ValueError with a readable reason for an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f'unknown time zone "{name}"; use an IANA name such as Europe/Paris') from exc


def local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


def from_local(wall_time: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the property's zone, as UTC. Naive input is read in that zone."""
    if wall_time.tzinfo is None:
        wall_time = wall_time.replace(tzinfo=zone(zone_name))
    return wall_time.astimezone(UTC)
