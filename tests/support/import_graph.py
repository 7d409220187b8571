"""A static import graph of a package tree, read with `ast` (nothing is imported), for the boundary tests.

Every `import` counts wherever it is written: at the top, inside a function (a lazy import) or under
`if TYPE_CHECKING:` (a type-only import still ties one layer to another). Importing `a.b.c` also runs `a`
and `a.b`, so those are edges too. Imports built from strings at run time (`importlib.import_module`) are
not seen.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


def module_name(root: Path, package: str, path: Path) -> str:
    """`cybrid_tui/api/client.py` -> `cybrid_tui.api.client`; a package's `__init__.py` names the package."""
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def in_package(name: str, roots: Iterable[str]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


@dataclass
class ImportGraph:
    """Modules of one top-level package and what each imports (full dotted names, internal or not)."""

    package: str
    imports: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path, package: str) -> ImportGraph:
        """Every `*.py` under `root` (the package's folder), namespace packages included."""
        graph = cls(package)
        for path in sorted(root.rglob("*.py")):
            name = module_name(root, package, path)
            is_package = path.name == "__init__.py"
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            graph.imports[name] = graph._imports_of(tree, name, is_package)
        return graph

    def _imports_of(self, tree: ast.AST, name: str, is_package: bool) -> set[str]:
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = self._resolve_from(node, name, is_package)
                found.add(base)
                # `from pkg import sub` imports the submodule `pkg.sub` when there is one.
                found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        return found | {parent for imported in found for parent in self._parents(imported)}

    @staticmethod
    def _resolve_from(node: ast.ImportFrom, name: str, is_package: bool) -> str:
        if node.level == 0:
            return node.module or ""
        here = name.split(".") if is_package else name.split(".")[:-1]
        anchor = here[: len(here) - (node.level - 1)]
        return ".".join([*anchor, node.module] if node.module else anchor)

    def _parents(self, name: str) -> list[str]:
        parts = name.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts)) if parts[0] == self.package]

    def direct(self, module: str) -> set[str]:
        """What `module` imports itself, limited to names that are modules (internal) or any external name."""
        return {name for name in self.imports[module] if self._is_module_or_external(name)}

    def _is_module_or_external(self, name: str) -> bool:
        return not in_package(name, (self.package,)) or name in self.imports

    def reachable(self, module: str, gateways: Iterable[str] = ()) -> dict[str, list[str]]:
        """Everything importing `module` can end up importing, each with the chain of imports leading there.

        The imports of a module in `gateways` are not followed: it is the sanctioned door to what lies behind.
        """
        doors = set(gateways)
        paths: dict[str, list[str]] = {}
        todo = [(module, [module])]
        while todo:
            current, chain = todo.pop(0)  # breadth first: the shortest chain is reported
            for name in sorted(self.direct(current)):
                if name not in paths and name != module:
                    paths[name] = [*chain, name]
                    if name in self.imports and name not in doors:
                        todo.append((name, paths[name]))
        return paths

    def modules_in(self, *packages: str) -> list[str]:
        return sorted(name for name in self.imports if in_package(name, packages))

    def violations(
        self, sources: Iterable[str], forbidden: Iterable[str], *, gateways: Iterable[str] = ()
    ) -> list[str]:
        """Each module of `sources` reaching a name under `forbidden`, as its shortest chain `a -> b -> c`."""
        banned = tuple(forbidden)
        found = []
        for module in self.modules_in(*sources):
            chains = [
                chain for name, chain in self.reachable(module, gateways).items() if in_package(name, banned)
            ]
            if chains:
                _, shortest = min((len(chain), chain) for chain in chains)
                found.append(" -> ".join(shortest))
        return found
