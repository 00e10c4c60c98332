"""Shrink a failing program to a small one that fails the same way.

Greedy passes over the module's AST until nothing changes: drop a helper function, delete a
statement (an emptied block gets ``pass``), replace an ``if``/loop by its body, replace an
expression by one of its operands or by ``1.0``. A candidate is kept when ``check`` gives
the same ``Result.signature`` (status, check, exception type). Candidates the program
itself cannot run come back ``invalid`` and are dropped.
"""

import ast

from .checker import check


def _bodies(tree):
    """Every statement list in the tree (module, function, if/for/while bodies)."""
    for node in ast.walk(tree):
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _statement_edits(tree):
    """Candidate trees, each with one statement removed or one block flattened."""
    n_blocks = sum(1 for _ in _bodies(tree))
    for b in range(n_blocks):
        size = len(list(_bodies(tree))[b])
        for i in reversed(range(size)):
            for kind in ("delete", "inline", "inline_else"):
                t = ast.parse(ast.unparse(tree))
                block = list(_bodies(t))[b]
                stmt = block[i]
                if kind == "delete":
                    if isinstance(stmt, ast.FunctionDef) and stmt.name == "f":
                        continue
                    block[i : i + 1] = []
                elif isinstance(stmt, (ast.If, ast.For, ast.While)):
                    other = stmt.body if kind == "inline" else stmt.orelse
                    if not other:
                        continue
                    block[i : i + 1] = other
                else:
                    continue
                _fill_empty(t)
                yield t


def _fill_empty(tree):
    for node in ast.walk(tree):
        for field in ("body",):
            block = getattr(node, field, None)
            if isinstance(block, list) and not block and not isinstance(node, ast.Module):
                block.append(ast.Pass())


def _expr_sites(tree):
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, (ast.BinOp, ast.Call, ast.UnaryOp, ast.BoolOp, ast.Subscript, ast.Compare))
    ]


def _expression_edits(tree):
    count = len(_expr_sites(tree))
    for k in range(count):
        for choice in range(4):
            t = ast.parse(ast.unparse(tree))
            node = _expr_sites(t)[k]
            repl = _replacement(node, choice)
            if repl is None:
                continue
            if not _replace(t, node, repl):
                continue
            yield t


def _replacement(node, choice):
    if isinstance(node, ast.BinOp):
        return (node.left, node.right, ast.Constant(1.0), None)[choice]
    if isinstance(node, ast.UnaryOp):
        return node.operand if choice == 0 else None
    if isinstance(node, ast.BoolOp):
        return node.values[choice] if choice < len(node.values) else None
    if isinstance(node, ast.Compare):
        return None
    if isinstance(node, ast.Call):
        args = [a for a in node.args]
        if choice < len(args):
            return args[choice]
        if choice == 3:
            return ast.Constant(1.0)
        return None
    if isinstance(node, ast.Subscript):
        return ast.Constant(1.0) if choice == 0 else None
    return None


def _replace(tree, old, new):
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                if isinstance(parent, (ast.Assign, ast.AugAssign)) and field == "targets":
                    return False
                setattr(parent, field, new)
                return True
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        if field == "targets":
                            return False
                        value[i] = new
                        return True
    return False


def shrink(source, args, result, numba=False, seed=0, max_checks=400):
    """The smallest source found that still fails with ``result.signature``."""
    target = result.signature
    budget = [max_checks]

    def fails(src):
        if budget[0] <= 0:
            return False
        budget[0] -= 1
        return (
            check(
                src, args, numba=numba, second_order=result.check.startswith("hvp"), seed=seed
            ).signature
            == target
        )

    best = ast.unparse(ast.parse(source))
    changed = True
    while changed and budget[0] > 0:
        changed = False
        for edits in (_statement_edits, _expression_edits):
            for cand in edits(ast.parse(best)):
                src = ast.unparse(cand)
                if len(src) < len(best) and fails(src):
                    best = src
                    changed = True
                    break
            if changed:
                break
    return (
        "import math\nimport numpy as np\n\n"
        + "\n".join(line for line in best.splitlines() if not line.startswith("import "))
        + "\n"
    )
