"""The package layout holds: one package per stage, data flowing one way, typed hand-overs.

The import graph of ``callscore`` is read from the source (ast, nothing imported), so a lazy import inside
a function counts the same as one at the top: a cycle or a back-reference is a design fault either way.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "callscore"

# Stage order: a module may import its own stage, any earlier stage and the shared base modules, never a
# later stage. Names in one tuple share a rank and may not import each other. Entries that do not exist
# yet are optional (``sentiment`` and ``pii`` are coming from other engineers): adding such a package needs
# no edit here.
STAGES: list[tuple[str, ...]] = [
    ("audio",),
    ("asr",),
    ("transcript",),
    ("pii",),
    ("speakers",),
    ("timeline",),
    ("prosody",),
    ("sentiment",),
    ("rubric",),
    ("scorecard",),
    ("pipeline",),
    ("render",),
    ("results",),
    ("batch",),
    ("eval",),
    ("serve",),
    ("cli",),
]
# Shared by every stage: errors, the one atomic writer / hashing helper, intervals, shipped-data lookup.
BASE = ("__init__", "errors", "files", "intervals", "resources")
OPTIONAL = {"pii", "sentiment"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported callscore module, line) for every import in ``path``, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "callscore":
                    yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "callscore":
                continue
            for a in node.names:  # "from callscore.x import y" may name a submodule y
                sub = f"{mod}.{a.name}"
                yield (sub if sub in MODULES else mod), node.lineno


def _stage(module: str) -> str:
    """The stage (top-level package or module under callscore) a module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_own_package(module: str, target: str) -> bool:
    return MODULES.get(target, Path()).name == "__init__.py" and module.startswith(target + ".")


GRAPH = {
    m: sorted({i for i, _ in _imports(m, p) if i != m and not _is_own_package(m, i)})
    for m, p in MODULES.items()
}


def _rank(stage: str) -> int | None:
    return next((k for k, names in enumerate(STAGES) if stage in names), None)


def test_every_module_belongs_to_a_known_stage_or_the_base() -> None:
    stages = {_stage(m) for m in MODULES}
    unknown = sorted(s for s in stages if s not in BASE and _rank(s) is None)
    assert not unknown, f"callscore/{unknown}: add it to STAGES (in data-flow order) or BASE"
    required = {s for names in STAGES for s in names} - OPTIONAL
    assert required <= stages, f"stages missing: {sorted(required - stages)}"


def test_top_level_holds_a_handful_of_modules() -> None:
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top == sorted(["__init__", "errors", "files", "intervals", "pipeline", "resources", "scorecard"])


def test_imports_follow_the_stage_order() -> None:
    wrong = []
    for module, path in MODULES.items():
        mine = _stage(module)
        for target, line in _imports(module, path):
            theirs = _stage(target)
            if theirs == mine or theirs in BASE:
                continue
            if mine in BASE:
                wrong.append(f"{path.name}:{line}: base module {module} imports stage {target}")
                continue
            a, b = _rank(mine), _rank(theirs)
            assert a is not None and b is not None
            if b >= a:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {mine} imports {target} ({theirs})")
    assert not wrong, "imports against the stage order:\n" + "\n".join(wrong)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    # Edges into a package's own __init__ (which only re-exports) are left out of GRAPH, so every cycle
    # reported here is two modules that need each other: between stages or inside one (driver <-> engine).
    cycles = _cycles()
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_a_back_reference() -> None:
    """The order test can fail: a made-up import from audio into rubric is reported."""
    fake = ast.parse("from callscore.rubric.schema import Rubric\n")
    node = fake.body[0]
    assert isinstance(node, ast.ImportFrom) and node.module is not None
    a, b = _rank(_stage("callscore.audio.decode")), _rank(_stage(node.module))
    assert a is not None and b is not None and b > a


# ---------------------------------------------------------------- no Any across a stage boundary


def _public_functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and not sub.name.startswith("_"):
                    yield sub


def _public_fields(tree: ast.Module) -> Iterator[tuple[str, ast.expr, int]]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for sub in node.body:
                if isinstance(sub, ast.AnnAssign) and isinstance(sub.target, ast.Name):
                    yield f"{node.name}.{sub.target.id}", sub.annotation, sub.lineno


def _bare_any(annotation: ast.expr | None) -> bool:
    """True when the annotation is ``Any`` or ``Any | None`` (a value of unknown type handed on).

    ``dict[str, Any]`` (a JSON-like mapping, e.g. a scorecard's ``metrics``) is a known shape and allowed.
    """
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(annotation, ast.Name):
        return annotation.id == "Any"
    if isinstance(annotation, ast.Attribute):
        return annotation.attr == "Any"
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _bare_any(annotation.left) or _bare_any(annotation.right)
    if isinstance(annotation, ast.Subscript) and getattr(annotation.value, "id", "") == "Optional":
        return _bare_any(annotation.slice)
    return False


# Modules whose job is turning arbitrary values into JSON (they take Any by design), and the CLI (the last
# stage: nothing crosses out of it).
ANY_ALLOWED = ("callscore.cli",)
ANY_ALLOWED_FUNCTIONS = {"plain", "jsonable"}


def test_no_any_in_public_signatures_between_stages() -> None:
    found = []
    for module, path in MODULES.items():
        if module.startswith(ANY_ALLOWED) or any(part.startswith("_") for part in module.split(".")[1:]):
            continue  # private modules (e.g. asr._torch, handed torch itself) hand nothing to another stage
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in _public_functions(tree):
            if fn.name in ANY_ALLOWED_FUNCTIONS:
                continue
            args = fn.args
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                if _bare_any(a.annotation):
                    found.append(f"{module}.{fn.name}({a.arg}: Any) line {fn.lineno}")
            if _bare_any(fn.returns):
                found.append(f"{module}.{fn.name} -> Any line {fn.lineno}")
        for name, ann, line in _public_fields(tree):
            if _bare_any(ann):
                found.append(f"{module}.{name}: Any line {line}")
    assert not found, "Any where a stage hands data on:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("x: Any", True), ("x: Any | None", True), ("x: dict[str, Any]", False), ("x: 'Any'", True)],
)
def test_the_any_detector(source: str, expected: bool) -> None:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.AnnAssign)
    assert _bare_any(node.annotation) is expected
