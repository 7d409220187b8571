"""Deterministic seeded customers: `random.Random(seed)` decides everything, the clock anchors it.

Cheap enough for 100,000 customers: each record gets its guid, type, labels and state transitions up front,
while its personal details (PII) are generated on first use from a per-customer generator, so customers
nobody looks at in detail cost almost nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from typing import TYPE_CHECKING, Any

from cybrid_tui.mock.records.customers import CustomerRecord, DetailsFactory, guid_from
from cybrid_tui.mock.seed_data import (
    BUSINESS_KINDS,
    BUSINESS_WORDS,
    COUNTRIES,
    COUNTRY_WEIGHTS,
    LABELS,
    MIDDLE_INITIALS,
    City,
    Country,
)

if TYPE_CHECKING:
    from cybrid_tui.mock.config import MockConfig

_SECOND = 1000
_MINUTE = 60 * _SECOND
_DAY = 24 * 60 * _MINUTE

SPAN_MS = 240 * _DAY  # seeded customers were created over the past eight months
RECENT_MS = 10 * _MINUTE  # the newest ones (still storing) within the last ten minutes
ACTIVITY_MS = 12 * 60 * _MINUTE  # demo activity keeps going for twelve hours
ACTIVITY_GAP_SECONDS = (5.0, 15.0)  # one state change every ~10 s

_FINAL_STATES = ("verified", "unverified", "rejected", "frozen")
_FINAL_WEIGHTS = (0.55, 0.25, 0.13, 0.07)


def seed_records(config: MockConfig, now_ms: int) -> list[CustomerRecord]:
    """`config.customers` customers, oldest first, all created before `now_ms`."""
    rng = random.Random(config.seed)
    count = config.customers
    storing = max(1, count // 100) if count >= 5 else 0
    older = count - storing
    storing_ms = int(config.storing_seconds * _SECOND)

    older_times = sorted(
        now_ms - SPAN_MS + int(rng.random() * (SPAN_MS - 2 * RECENT_MS)) for _ in range(older)
    )
    recent_times = sorted(
        now_ms - RECENT_MS + int(rng.random() * (RECENT_MS - 5 * _SECOND)) for _ in range(storing)
    )
    targets = rng.choices(_FINAL_STATES, _FINAL_WEIGHTS, k=older)
    _cover_every_state(targets, rng)

    records: list[CustomerRecord] = []
    seen: set[str] = set()
    random_ = rng.random
    for seq, created in enumerate(older_times + recent_times):
        guid = guid_from(rng)
        while guid in seen:
            guid = guid_from(rng)
        seen.add(guid)
        kind = "individual" if random_() < 0.7 else "business"
        if seq < older:
            times, states = _history(targets[seq], created, storing_ms, now_ms, random_)
        else:
            # Still being stored: becomes unverified within the next minute (in a demo, on screen).
            times, states = [created, now_ms + int((1 + 59 * random_()) * _SECOND)], ["storing", "unverified"]
        labels = None
        if random_() < 0.25:
            labels = tuple(rng.sample(LABELS, 1 if random_() < 0.8 else 2))
        records.append(
            CustomerRecord(
                guid=guid,
                type=kind,
                seq=seq,
                created_ms=created,
                times=times,
                states=states,
                labels=labels,
                details_seed=seq,
            )
        )
    return records


def _cover_every_state(targets: list[str], rng: random.Random) -> None:
    """With enough customers, make sure each final state appears at least once (demo and tests rely on it)."""
    if len(targets) < 2 * len(_FINAL_STATES):
        return
    for state in _FINAL_STATES:
        if state not in targets:
            while True:
                index = rng.randrange(len(targets))
                if targets.count(targets[index]) > 1:
                    targets[index] = state
                    break


def _history(
    target: str, created: int, storing_ms: int, now_ms: int, random_: Any
) -> tuple[list[int], list[str]]:
    stored = created + storing_ms
    if target == "unverified":
        return [created, stored], ["storing", "unverified"]
    decided = stored + int(random_() * max(0, min(3 * _DAY, now_ms - stored - _SECOND)))
    if target == "frozen":
        frozen = decided + int(random_() * max(0, now_ms - decided - _SECOND))
        return [created, stored, decided, frozen], ["storing", "unverified", "verified", "frozen"]
    return [created, stored, decided], ["storing", "unverified", target]


# Weighted demo events: (from state, to state, weight). Unverified customers get decided, rejected ones are
# re-opened (a bank PATCHes them back to unverified), and now and then a verified one is frozen and thawed.
_ACTIVITY = (
    ("unverified", "verified", 6.0),
    ("unverified", "rejected", 2.0),
    ("rejected", "unverified", 2.0),
    ("verified", "frozen", 1.0),
    ("frozen", "verified", 1.0),
)


def schedule_activity(records: list[CustomerRecord], seed: int, now_ms: int) -> int:
    """Add future transitions so that something changes every ~10 s for hours; returns how many."""
    rng = random.Random(f"{seed}:activity")
    pools: dict[str, list[CustomerRecord]] = {state: [] for state in _FINAL_STATES}
    for record in records:
        if record.times[-1] <= now_ms:
            pools[record.states[-1]].append(record)
    moment = now_ms
    scheduled = 0
    while True:
        moment += int(rng.uniform(*ACTIVITY_GAP_SECONDS) * _SECOND)
        if moment > now_ms + ACTIVITY_MS:
            return scheduled
        choices = [(source, target, weight) for source, target, weight in _ACTIVITY if pools[source]]
        if not choices:
            return scheduled
        source, target, _ = rng.choices(choices, [weight for *_, weight in choices])[0]
        pool = pools[source]
        index = rng.randrange(len(pool))
        record = pool[index]
        pool[index] = pool[-1]
        pool.pop()
        record.schedule(moment, target)
        pools[target].append(record)
        scheduled += 1


# --------------------------------------------------------------------------------------------- details


def details_factory(seed: int, now_ms: int) -> DetailsFactory:
    """Builds a seeded customer's PII on first use, the same every time for the same seed and customer."""
    today = dt.datetime.fromtimestamp(now_ms / 1000, dt.UTC).date()

    def build(record: CustomerRecord) -> dict[str, Any]:
        rng = random.Random(f"{seed}:details:{record.details_seed}")
        country = rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0]
        city = rng.choice(country.cities)
        if record.type == "business":
            return _business(rng, country, city)
        return _individual(rng, country, city, today)

    return build


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _fill(rng: random.Random, template: str) -> str:
    """`template` with each `#` a random digit and each `@` a random capital (two rng calls in all)."""
    count = template.count("#")
    digits = iter(f"{rng.randrange(10**count):0{count}d}" if count else "")
    letters = iter(rng.choices(_LETTERS, k=template.count("@")))
    return "".join(
        next(digits) if char == "#" else next(letters) if char == "@" else char for char in template
    )


def _address(rng: random.Random, country: Country, city: City, street2: str | None) -> dict[str, Any]:
    number = rng.randint(1, 420)
    street = rng.choice(country.streets)
    return {
        "street": f"{number} {street}" if country.street_number_first else f"{street} {number}",
        "street2": street2,
        "city": city.name,
        "subdivision": city.subdivision,
        "postal_code": _fill(rng, city.postal_code),
        "country_code": country.code,
    }


def _phone(rng: random.Random, city: City) -> str:
    return f"{city.phone_prefix}{rng.randrange(10**city.phone_digits):0{city.phone_digits}d}"


_ID_TEMPLATES = {
    "social_security_number": "9########",
    "drivers_license": "@#######",
    "passport": "@########",
    "tax_identification_number": "###########",
    "identification_card": "L@#######",
    "employer_identification_number": "##-#######",
}
_REGISTRATION_TEMPLATES = {"GB": "########", "DE": "HRB ######", "CA": "#########", "AU": "###########"}


def _identification_numbers(
    rng: random.Random, country: Country, kinds: tuple[str, ...]
) -> list[dict[str, Any]]:
    chosen = rng.sample(kinds, min(len(kinds), rng.choice((1, 1, 2))))
    numbers = []
    for kind in chosen:
        if kind == "business_registration_number":
            template = _REGISTRATION_TEMPLATES.get(country.code, "#########")
        else:
            template = _ID_TEMPLATES[kind]
        numbers.append(
            {
                "type": kind,
                "issuing_country_code": country.code,
                "identification_number": _fill(rng, template),
            }
        )
    return numbers


def _individual(rng: random.Random, country: Country, city: City, today: dt.date) -> dict[str, Any]:
    first = rng.choice(country.first_names)
    last = rng.choice(country.last_names)
    middle = rng.choice(MIDDLE_INITIALS) if rng.random() < 0.3 else None
    born = dt.date(today.year - rng.randint(19, 85), 1, 1) + dt.timedelta(days=rng.randrange(365))
    street2 = rng.choice(("Apt 4B", "Unit 12", "Floor 3", "Flat 2")) if rng.random() < 0.2 else None
    return {
        "name": {"first": first, "middle": middle, "last": last, "full": None},
        "address": _address(rng, country, city, street2),
        "date_of_birth": born.isoformat(),
        "phone_number": _phone(rng, city),
        "email_address": f"{_ascii(first)}.{_ascii(last)}{rng.randrange(100)}@example.com",
        "identification_numbers": _identification_numbers(rng, country, country.personal_ids),
    }


def _business(rng: random.Random, country: Country, city: City) -> dict[str, Any]:
    trade_name = f"{rng.choice(BUSINESS_WORDS)} {rng.choice(BUSINESS_KINDS)}"
    slug = _ascii(trade_name).replace("&", "and")
    details: dict[str, Any] = {
        "name": {
            "first": None,
            "middle": None,
            "last": None,
            "full": f"{trade_name} {rng.choice(country.business_suffixes)}",
        },
        "address": _address(rng, country, city, "Suite 300" if rng.random() < 0.4 else None),
        "website": f"https://www.{slug}.example.com",
        "phone_number": _phone(rng, city),
        "email_address": f"hello@{slug}.example.com",
        "identification_numbers": _identification_numbers(rng, country, country.business_ids),
    }
    if rng.random() < 0.7:
        details["aliases"] = [{"first": None, "middle": None, "last": None, "full": trade_name}]
    return details
