"""No module imports a later pipeline stage (parse < normalize < analyze < transform <
optimize < emit < backends < the entry points), at module level or inside a function; and
no module of the package is over MAX_LINES lines."""

import ast
import pathlib

import tangentlike

PACKAGE = pathlib.Path(tangentlike.__file__).parent
STAGES = ["parse", "normalize", "analyze", "transform", "optimize", "emit", "backends"]
ENTRY = {"pipeline", "api", "derivatives", "higher_order"}  # after every stage
# (importer stage, imported stage) pairs that remain, each with the reason
EXCEPTIONS = set()


def _rank(name):
    if name in STAGES:
        return STAGES.index(name)
    return len(STAGES) if name in ENTRY else None


def _imported(path, node):
    """The top-level tangentlike module an import names (None outside the package)."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = parts[: len(parts) - node.level]
            target = base + (node.module.split(".") if node.module else [])
            if not node.module:  # from .. import x
                return [(target + [a.name])[0] for a in node.names]
            return [target[0]] if target else []
        mods = [node.module or ""]
    else:
        mods = [a.name for a in node.names]
    return [m.split(".")[1] for m in mods if m.startswith("tangentlike.") and "." in m]


def test_no_module_imports_a_later_stage():
    found = set()
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        stage = path.relative_to(PACKAGE).parts[0]
        if _rank(stage) is None or stage in ENTRY or path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _imported(path, node):
                if _rank(target) is not None and _rank(target) > _rank(stage):
                    found.add((stage, target))
                    if (stage, target) not in EXCEPTIONS:
                        bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {target}")
    assert not bad, bad
    assert found == EXCEPTIONS, EXCEPTIONS - found  # a pair no longer found: remove it


MAX_LINES = 400


def test_no_module_is_over_max_lines():
    """A module that grows past MAX_LINES is split by concern (issue 16)."""
    lines = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    long = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert not long, long


def test_higher_order_and_derivatives_do_not_import_api():
    """api.py imports them; an import back (even inside a function) is a cycle."""
    for name in ("higher_order", "derivatives", "call_checks"):
        tree = ast.parse((PACKAGE / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "api":
                raise AssertionError(f"{name}.py imports api (line {node.lineno})")
