"""The create form's plain parts (no Textual): fields as data, error bookkeeping, what a failure says."""

from __future__ import annotations

import datetime as dt

from cybrid_tui.api.errors import InvalidRequestError, NetworkError, RateLimitError, RequestTimeoutError
from cybrid_tui.forms import fields
from cybrid_tui.forms.builder import mask_personal_data, preview_body
from cybrid_tui.forms.error_book import ErrorBook, submit_refusal
from cybrid_tui.forms.outcome import describe_failure
from cybrid_tui.forms.values import TEXT_FIELDS, FormValues, IdRow, id_key

TODAY = dt.date(2026, 11, 25)
DETAILS = FormValues(approach="details")


def test_every_text_field_is_described_once_in_layout_order() -> None:
    assert tuple(fields.FIELDS) == TEXT_FIELDS
    assert fields.field_name("first_name") == "First name"
    assert fields.field_name(id_key(1, "number")) == "Identification number 2 (number)"
    assert "labels" not in fields.PII_FIELDS and "first_name" in fields.PII_FIELDS


def test_an_error_shows_once_the_edited_field_is_left() -> None:
    book = ErrorBook()
    errors = book.errors(DETAILS, today=TODAY)
    assert "first_name" in errors and book.shown(errors) == {}
    assert not book.left("first_name")  # never edited: leaving it says nothing yet
    book.edited("first_name")
    assert book.left("first_name")
    assert set(book.shown(errors)) == {"first_name"}


def test_a_submit_shows_every_error_and_says_how_many() -> None:
    book = ErrorBook()
    book.submitted(DETAILS)
    errors = book.errors(DETAILS, today=TODAY)
    assert book.shown(errors) == errors
    assert submit_refusal(errors).startswith(f"Nothing was sent: {len(errors)} fields need attention.")


def test_a_server_refusal_stays_at_its_field_until_the_field_is_edited() -> None:
    book = ErrorBook()
    book.refused(["country"], "Address country code not supported")
    values = FormValues(approach="details", country="GB")
    assert book.shown(book.errors(values, today=TODAY))["country"] == "Address country code not supported"
    book.edited("country")
    assert "country" not in book.shown(book.errors(values, today=TODAY))


def test_removing_a_row_moves_the_later_rows_marks_up() -> None:
    book = ErrorBook()
    for row in (0, 1, 2):
        book.edited(id_key(row, "number"))
        book.left(id_key(row, "number"))
    book.row_removed(1)
    values = FormValues(approach="details", identification=(IdRow(number="x"), IdRow(number="y")))
    shown = book.shown({id_key(0, "number"): "a", id_key(1, "number"): "b", id_key(2, "number"): "c"})
    assert set(shown) == {id_key(0, "number"), id_key(1, "number")}
    assert values.identification  # the values themselves are the screen's


def test_failures_say_what_happened_and_what_to_do() -> None:
    tag = "cybrid-tui-0123456789ab"
    lost = describe_failure(
        RequestTimeoutError("The request timed out", request_sent=True),
        uncertain=True,
        values=DETAILS,
        tag=tag,
    )
    assert lost.severity == "-warning" and tag in lost.text and "never created twice" in lost.text
    limited = describe_failure(
        RateLimitError("Too many", retry_after=2.0), uncertain=False, values=DETAILS, tag=tag
    )
    assert "try again in 2 s" in limited.text
    network = describe_failure(
        NetworkError("Connection refused", request_sent=False), uncertain=False, values=DETAILS, tag=tag
    )
    assert "Nothing reached Cybrid" in network.text
    refused = describe_failure(
        InvalidRequestError("Address country code not supported", status=422, message_code="invalid_value"),
        uncertain=False,
        values=DETAILS,
        tag=tag,
    )
    assert refused.fields == ("country",) and refused.field_error.startswith(
        "Address country code not supported"
    )
    platform = describe_failure(
        InvalidRequestError("Customer name required", status=422, message_code="missing_parameter"),
        uncertain=False,
        values=FormValues(),
        tag=tag,
    )
    assert "Bank-provided details" in platform.text


def test_the_masked_preview_keeps_its_shape_and_hides_every_personal_value() -> None:
    values = FormValues(
        approach="details",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        city="London",
        identification=(IdRow("passport", "GB", "987654321"),),
        labels="vip",
    )
    body = preview_body(values, tag=None)
    masked = mask_personal_data(body)
    text = repr(masked)
    assert "Ada" not in text and "London" not in text and "987654321" not in text and "ada@" not in text
    assert masked["labels"] == ["vip"] and masked["identification_numbers"][0]["type"] == "passport"
    assert set(masked) == set(body)
