"""The log scrubber's memory: the client secret is scrubbed for good, however many tokens come and go."""

from __future__ import annotations

import pytest

from cybrid_tui import logging_setup
from cybrid_tui.logging_setup import MAX_TOKENS, SecretBook

CLIENT_SECRET = "client-secret-7f3a9c"


def token(n: int) -> str:
    return f"tok{n:06d}-a1b2c3"


@pytest.fixture
def book() -> SecretBook:
    """The book behind the module's functions: a fresh one for every test (see `tests/conftest.py`)."""
    return logging_setup._book


def test_the_client_secret_outlives_any_number_of_token_renewals(book: SecretBook) -> None:
    logging_setup.register_secret(CLIENT_SECRET)
    renewals = 3 * MAX_TOKENS + 1
    for n in range(renewals):
        logging_setup.register_token(token(n))

    line = f"secret={CLIENT_SECRET} newest={token(renewals - 1)}"
    assert CLIENT_SECRET not in logging_setup.redact(line)
    assert token(renewals - 1) not in logging_setup.redact(line)


def test_the_oldest_tokens_are_forgotten_first(book: SecretBook) -> None:
    for n in range(MAX_TOKENS + 5):
        logging_setup.register_token(token(n))

    kept = [n for n in range(MAX_TOKENS + 5) if token(n) not in logging_setup.redact(token(n))]
    assert kept == list(range(5, MAX_TOKENS + 5)), "exactly the newest MAX_TOKENS tokens are scrubbed"


def test_a_token_seen_again_counts_as_new(book: SecretBook) -> None:
    for n in range(MAX_TOKENS):
        logging_setup.register_token(token(n))
    logging_setup.register_token(token(0))  # still in use, handed out again
    logging_setup.register_token(token(MAX_TOKENS))

    assert token(0) not in logging_setup.redact(token(0))
    assert token(1) in logging_setup.redact(token(1)), "the oldest unused token went instead"


def test_secrets_too_short_to_be_secret_are_ignored(book: SecretBook) -> None:
    logging_setup.register_secret("abc")
    logging_setup.register_token("xyz")
    assert logging_setup.redact("abc xyz") == "abc xyz"


def test_a_secret_containing_a_token_is_scrubbed_whole(book: SecretBook) -> None:
    logging_setup.register_token("tok-123456")
    logging_setup.register_secret("prefix-tok-123456-suffix")
    assert logging_setup.redact("x prefix-tok-123456-suffix y") == "x [redacted] y"
