"""Reject constructs the transforms do not handle, naming the construct and its line."""

import gast

from ..trees import walk

UNSUPPORTED = {
    gast.Try: "try/except",
    gast.With: "with statement",
    gast.AsyncWith: "async with",
    gast.AsyncFor: "async for",
    gast.Global: "global statement",
    gast.Nonlocal: "nonlocal statement",
    gast.Delete: "del statement",
    gast.ClassDef: "class definition",
    gast.FunctionDef: "nested function definition",
    gast.AsyncFunctionDef: "nested function definition",
    gast.Lambda: "lambda",
    gast.ListComp: "list comprehension",
    gast.SetComp: "set comprehension",
    gast.DictComp: "dict comprehension",
    gast.GeneratorExp: "generator expression",
    gast.Yield: "yield",
    gast.YieldFrom: "yield from",
    gast.Await: "await",
    gast.NamedExpr: "assignment expression (:=)",
    gast.Starred: "starred expression (*args)",
    gast.JoinedStr: "f-string",
}
if hasattr(gast, "Match"):
    UNSUPPORTED[gast.Match] = "match statement"


def check_supported(parsed):
    fdef = parsed.node
    args = fdef.args
    if args.vararg or args.kwarg:
        raise parsed.error(
            "functions with *args or **kwargs are not supported", fdef, construct="*args/**kwargs"
        )
    for stmt in fdef.body:
        for node in walk(stmt):
            kind = UNSUPPORTED.get(type(node))
            if kind is not None:
                raise parsed.error(f"unsupported construct: {kind}", node, construct=kind)
            if isinstance(node, (gast.For, gast.While)) and node.orelse:
                raise parsed.error(
                    "unsupported construct: else clause on a loop", node, construct="loop else"
                )
