"""Fetching the client secret named by `client_secret_env` or `client_secret_command`.

The command works like git credential helpers and AWS `credential_process`: run without a shell (the line is
split with `shlex`), whatever it prints on stdout, stripped, is the secret. Its stdout never appears in an
error: a helper that fails may still have printed the secret, or half of it.
"""

from __future__ import annotations

import shlex
import subprocess
from typing import TYPE_CHECKING

from cybrid_tui.api.errors import ConfigurationError
from cybrid_tui.logging_setup import redact, register_secret

if TYPE_CHECKING:
    from cybrid_tui.settings.layers import Environment, Source

COMMAND_TIMEOUT_SECONDS = 10.0
_STDERR_CHARS = 200


def from_variable(name: object, env: Environment, source: Source) -> tuple[str, Source]:
    """The value of the variable `name` (environment, then `.env`); `source` is where `name` was given."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigurationError(f"{source}: must be the name of an environment variable")
    found = env.lookup(name.strip())
    if found is None or not found[0]:
        raise ConfigurationError(f"{source}: the variable {name.strip()} it names is not set (or is empty)")
    register_secret(found[0])
    return found


def variable_is_set(name: object, env: Environment) -> bool:
    if not isinstance(name, str) or not name.strip():
        return False
    found = env.lookup(name.strip())
    return found is not None and bool(found[0])


def from_command(command: object, source: Source, *, timeout: float = COMMAND_TIMEOUT_SECONDS) -> str:
    """Run the secret command and return its stripped stdout; every failure is one clear message."""
    if not isinstance(command, str):
        raise ConfigurationError(f"{source}: must be a command line in quotes")
    try:
        argv = shlex.split(command)
    except ValueError as error:  # an unclosed quote
        raise ConfigurationError(f"{source}: cannot be split into a command ({error})") from None
    if not argv:
        raise ConfigurationError(f"{source}: is empty")
    program = argv[0]
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        raise ConfigurationError(f"{source}: command not found: {program}") from None
    except PermissionError:
        raise ConfigurationError(f"{source}: {program} cannot be run (permission denied)") from None
    except subprocess.TimeoutExpired:
        raise ConfigurationError(f"{source}: {program} gave no answer within {timeout:g} s") from None
    except OSError as error:
        raise ConfigurationError(f"{source}: {program} cannot be run ({error.strerror})") from None
    if done.returncode != 0:
        raise ConfigurationError(
            f"{source}: {program} failed (exit status {done.returncode}){_stderr_hint(done.stderr)}"
        )
    secret = done.stdout.decode("utf-8", errors="replace").strip()
    if not secret:
        raise ConfigurationError(f"{source}: {program} printed nothing on stdout; it must print the secret")
    register_secret(secret)
    if "\n" in secret:
        raise ConfigurationError(
            f"{source}: {program} printed {secret.count(chr(10)) + 1} lines; it must print only the secret"
        )
    return secret


def _stderr_hint(stderr: bytes) -> str:
    """The first line of the command's stderr, printable characters only: usually the reason it failed."""
    lines = stderr.decode("utf-8", errors="replace").strip().splitlines()
    if not lines:
        return ""
    # Redacted first: a helper that echoes a known secret (another profile's, the old one) must not show it.
    line = "".join(char if char.isprintable() else "?" for char in redact(lines[0]))[:_STDERR_CHARS]
    return f": {line}"
