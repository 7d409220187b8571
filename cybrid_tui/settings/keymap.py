"""The `[keys]` table: binding ids mapped to keys, checked before the app starts.

Textual 8 does the remapping itself (`Binding(id=...)` and `App.set_keymap`); this module makes sure the table
is right first: every id exists, every key name is one Textual understands, and no two bindings end up on
the same key in one screen. All problems are reported together, as one start-up error naming the file.
A binding on the app counts in every screen; a clash the app ships with on purpose (a screen's own `escape`
over the app's) is not reported, only clashes that a remapping creates.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cybrid_tui.api.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

#: The scope of bindings that apply on every screen.
APP_SCOPE = "app"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@dataclass(frozen=True, slots=True)
class BindingSpec:
    """One binding the app offers: its id, the screen it belongs to (or `APP_SCOPE`) and its default keys."""

    id: str
    scope: str
    keys: tuple[str, ...]


def catalogue(scopes: Mapping[str, Iterable[object]]) -> list[BindingSpec]:
    """Specs from each scope's `BINDINGS` (Textual `Binding` objects; tuples and id-less ones skipped)."""
    specs: list[BindingSpec] = []
    for scope, bindings in scopes.items():
        for binding in bindings:
            binding_id = getattr(binding, "id", None)
            key = getattr(binding, "key", None)
            if isinstance(binding_id, str) and isinstance(key, str):
                specs.append(BindingSpec(binding_id, scope, tuple(part.strip() for part in key.split(","))))
    return specs


def build_keymap(
    table: Mapping[str, tuple[str, ...]], bindings: Iterable[BindingSpec], *, where: str
) -> dict[str, str]:
    """The Textual keymap (`{binding id: "key1,key2"}`) for `table`, or one `ConfigurationError` listing
    unknown ids, bad key names and clashes. `where` names the table in messages (`<file> [keys]`)."""
    specs = list(bindings)
    known = {spec.id for spec in specs}
    problems: list[str] = []
    keymap: dict[str, tuple[str, ...]] = {}
    for binding_id, given in table.items():
        keys = tuple(part.strip() for item in given for part in item.split(","))
        if binding_id not in known:
            problems.append(f"{where} {binding_id}: no binding has this id{_suggest(binding_id, known)}")
            continue
        bad = [key for key in keys if not is_valid_key(key)]
        if bad:
            problems.append(f"{where} {binding_id}: not a key name: {', '.join(repr(key) for key in bad)}")
            continue
        keymap[binding_id] = tuple(normalize(key) for key in keys)
    if not problems:
        problems.extend(_clashes(keymap, specs, where))
    if problems:
        raise ConfigurationError("Invalid key bindings:\n  " + "\n  ".join(problems))
    return {binding_id: ",".join(keys) for binding_id, keys in keymap.items()}


def is_valid_key(key: str) -> bool:
    """`n`, `N`, `?`, `question_mark`, `f5`, `ctrl+shift+up`: what Textual can match against a key press."""
    if not key or key != key.strip():
        return False
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if any(modifier not in MODIFIERS for modifier in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in _named_keys()


def normalize(key: str) -> str:
    """Textual's long form (`?` -> `question_mark`), so `?` in the file and `question_mark` in code compare
    equal; Textual's `set_keymap` applies the same rule."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if len(base) == 1:
        from textual.keys import _character_to_key  # the rule set_keymap applies; covered by the unit tests

        base = _character_to_key(base)
    return "+".join((*modifiers, base))


@functools.cache
def _named_keys() -> frozenset[str]:
    """`escape`, `f5`, `pageup`... and the long names of printable ASCII characters (`question_mark`)."""
    from textual.keys import Keys, _character_to_key

    plain = {key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")}
    ascii_names = {_character_to_key(chr(code)) for code in range(33, 127)}
    return frozenset(name for name in plain | ascii_names if len(name) > 1)


def _clashes(keymap: Mapping[str, tuple[str, ...]], specs: list[BindingSpec], where: str) -> list[str]:
    effective = {spec: keymap.get(spec.id, tuple(normalize(key) for key in spec.keys)) for spec in specs}
    app = [spec for spec in specs if spec.scope == APP_SCOPE]
    screens = sorted({spec.scope for spec in specs if spec.scope != APP_SCOPE}) or [APP_SCOPE]
    problems: set[str] = set()
    for screen in screens:
        in_scope = app if screen == APP_SCOPE else [spec for spec in specs if spec.scope == screen] + app
        by_key: dict[str, list[str]] = {}
        for spec in in_scope:
            for key in effective[spec]:
                ids = by_key.setdefault(key, [])
                if spec.id not in ids:
                    ids.append(spec.id)
        for key, ids in by_key.items():
            if len(ids) > 1 and any(binding_id in keymap for binding_id in ids):
                scope = "every screen" if screen == APP_SCOPE else f"the {screen} screen"
                problems.add(f"{where}: {key!r} is bound to both {' and '.join(sorted(ids))} in {scope}")
    return sorted(problems)


def _suggest(word: str, known: set[str]) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
