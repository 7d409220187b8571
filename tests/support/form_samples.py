"""Complete create-customer form values, shared by the validator, builder and form tests."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cybrid_tui.forms.values import FormValues, IdRow

TODAY = dt.date(2026, 11, 25)


def individual(**changes: object) -> FormValues:
    base = FormValues(
        kind="individual",
        approach="details",
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth="1985-12-10",
        email="ada@example.com",
        phone="+1 415 555 2671",
        street="12 St James's Square",
        city="London",
        country="gb",
        identification=(IdRow("passport", "GB", "123456789"),),
        labels="vip, import",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def business(**changes: object) -> FormValues:
    base = individual(
        kind="business",
        first_name="",
        last_name="",
        date_of_birth="",
        legal_name="Analytical Engines Ltd",
        website="https://engines.example.com",
        identification=(IdRow("employer_identification_number", "US", "12-3456789"),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
