"""The create form as shell commands ("copy as command"): the `cybrid-tui customers create` line and the
`curl` line that send what the form shows.

Pure text, no Textual. Every value the user typed is inside JSON (`ensure_ascii`: no control character,
newline or non-ASCII character reaches the shell or the clipboard as typed) and every shell word is quoted by
`shlex.quote`, so a name with quotes, `$`, backticks or newlines pastes as the same body. Secrets are never
written: the bank's URL and the bearer token are the shell variables `$CYBRID_BANK_URL` and `$CYBRID_TOKEN`,
and `cybrid-tui` reads its credentials from its own settings. The form's duplicate-guard tag is left out:
`cybrid-tui customers create` adds a fresh one of its own, and a pasted curl line has no guard to share it.
"""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING, Any, Final

from cybrid_tui.forms.builder import preview_body
from cybrid_tui.forms.validators import split_labels

if TYPE_CHECKING:
    from cybrid_tui.forms.values import FormValues

#: The heredoc's end word: quoted, so the shell expands nothing inside; JSON text never has it on a line.
HEREDOC_END: Final = "JSON"
CURL_COMMENT: Final = "# the same with curl (CYBRID_TOKEN: a bearer token with the customers:execute scope)"


def request_body(values: FormValues) -> dict[str, Any]:
    """The JSON body for what is on the form, without the form's duplicate-guard tag."""
    return preview_body(values, tag=None)


def cybrid_tui_command(values: FormValues, *, demo: bool = False, profile: str | None = None) -> str:
    """`cybrid-tui customers create ...`: labels as `--label` flags when Cybrid gathers the details, else
    the body on stdin in a quoted heredoc."""
    words = ["cybrid-tui", "customers", "create", "--type", values.kind]
    if demo:
        words.append("--demo")
    if profile:
        words += ["--profile", profile]
    if not values.details:
        # `--label=L`: a label starting with "-" must not read as a flag.
        words += [f"--label={label}" for label in split_labels(values.labels)]
        return " ".join(shlex.quote(word) for word in words)
    body = json.dumps(request_body(values), ensure_ascii=True, indent=2)
    line = " ".join(shlex.quote(word) for word in [*words, "--body", "-"])
    return f"{line} <<'{HEREDOC_END}'\n{body}\n{HEREDOC_END}"


def curl_command(values: FormValues) -> str:
    """`curl -X POST "$CYBRID_BANK_URL/api/customers" ... --data '<body>'` (one line)."""
    data = json.dumps(request_body(values), ensure_ascii=True, separators=(",", ":"))
    return (
        'curl -X POST "$CYBRID_BANK_URL/api/customers" -H "Authorization: Bearer $CYBRID_TOKEN" '
        f"-H 'Content-Type: application/json' --data {shlex.quote(data)}"
    )


def as_commands(values: FormValues, *, demo: bool = False, profile: str | None = None) -> str:
    """What "copy as command" copies: the cybrid-tui command, then a comment and the curl line."""
    command = cybrid_tui_command(values, demo=demo, profile=profile)
    return f"{command}\n{CURL_COMMENT}\n{curl_command(values)}\n"
