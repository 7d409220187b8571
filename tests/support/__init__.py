"""Test helpers and fakes shared across the suites (one place, so a new test finds them).

- `waiting`: `wait_for`, the only way a test waits (on a condition, with a timeout).
- `mock_server`: the mock-server pytest fixtures (a pytest plugin) and its demo credentials.
- `mock_admin`: driving a running mock's `/_mock` fault endpoints, pointing the app at it, and
  searching for secrets.
- `client_fakes`: `FakeCybrid`, an httpx transport playing Cybrid for the API client; `FakeTime`.
- `listing_bank`: `ListingBank`, an in-memory `list_customers` (pages, guid filter) for the live refresher.
- `form_fakes`: `CreateBank`, an in-memory bank whose creates fail as scripted; `FormHost` hosts the form.
- `form_samples`: valid individual / business form values.
- `ui_harness`: `Harness` running the app against a `ControlledTransport`; table text helpers.
"""
