"""Copying, walking and name substitution over gast trees, fast.

Code generation copies and walks small trees tens of thousands of times, so these
replace the general tools with versions specialised to AST nodes that give the same
results:

* ``clone(tree)`` is ``copy.deepcopy(tree)``: every node and list is copied, each node's
  whole ``__dict__`` (fields and positions), and a node that occurs twice in the tree is
  copied once and stays shared in the copy;
* ``walk(tree)`` is ``ast.walk(tree)``: the same nodes in the same (breadth-first) order;
* ``name_ids(tree, ctx)`` is ``{n.id for n in walk(tree) if isinstance(n, gast.Name) and
  isinstance(n.ctx, ctx)}``;
* ``substitute(tree, replace)`` is a ``NodeTransformer`` with only ``visit_Name``: it
  visits the tree depth-first in field order, calls ``replace(name)`` on each ``Name``,
  puts what it returns in the name's place (in place) and does not look inside it;
* ``Transformer`` is ``gast.NodeTransformer``, faster.
"""

import ast
import copy

import gast

_AST = ast.AST
_NAME = gast.Name
_MISSING = object()
_ATOMIC = frozenset({str, int, float, bool, complex, bytes, type(None), type(Ellipsis)})


def clone(tree):
    """A deep copy of a gast node or a list of them (``copy.deepcopy``'s result)."""
    return _clone(tree, {})


def _clone(x, memo):
    cls = type(x)
    if cls in _ATOMIC:
        return x
    y = memo.get(id(x))
    if y is not None:
        return y
    if cls is list:
        y = []
        memo[id(x)] = y
        for item in x:
            y.append(item if type(item) in _ATOMIC else _clone(item, memo))
        return y
    if isinstance(x, _AST):
        y = cls.__new__(cls)
        memo[id(x)] = y
        d = y.__dict__
        for k, v in x.__dict__.items():
            d[k] = v if type(v) in _ATOMIC else _clone(v, memo)
        return y
    return copy.deepcopy(x, memo)


def walk(tree):
    """Every node under ``tree`` (itself included), in ``ast.walk``'s order."""
    todo = [tree]
    push = todo.append
    for node in todo:  # (a queue: the loop reaches what it appends)
        for f in node._fields:
            v = getattr(node, f, None)
            if isinstance(v, _AST):
                push(v)
            elif isinstance(v, list):
                for item in v:
                    if isinstance(item, _AST):
                        push(item)
        yield node


def name_ids(tree, ctx):
    """The ids of the ``Name`` nodes under ``tree`` whose context is a ``ctx``
    (``gast.Load``, ``gast.Store``...), as a set."""
    return {n.id for n in walk(tree) if type(n) is _NAME and type(n.ctx) is ctx}


def substitute(tree, replace):
    """Replace the ``Name`` nodes of ``tree`` by ``replace(name)``, in place; returns the
    new root (``replace``'s result when ``tree`` is itself a ``Name``)."""
    if type(tree) is _NAME:
        return replace(tree)
    _substitute(tree, replace)
    return tree


def _substitute(node, replace):
    for f in node._fields:
        v = getattr(node, f, None)
        if isinstance(v, list):
            for i, item in enumerate(v):
                if type(item) is _NAME:
                    v[i] = replace(item)
                elif isinstance(item, _AST):
                    _substitute(item, replace)
        elif type(v) is _NAME:
            setattr(node, f, replace(v))
        elif isinstance(v, _AST):
            _substitute(v, replace)


class Transformer(gast.NodeTransformer):
    """``gast.NodeTransformer`` with the same visits and results, in less time: the
    ``visit_<Node>`` method is looked up once per node type, fields are read directly."""

    _methods = None  # per subclass: node type -> method name or None

    def visit(self, node):
        methods = type(self).__dict__.get("_methods")
        if methods is None:
            methods = type(self)._methods = {}
        cls = node.__class__
        name = methods.get(cls, False)
        if name is False:
            name = "visit_" + cls.__name__
            methods[cls] = name = name if hasattr(self, name) else None
        if name is None:
            return self.generic_visit(node)
        return getattr(self, name)(node)

    def generic_visit(self, node):
        for f in node._fields:
            old = getattr(node, f, _MISSING)
            if isinstance(old, list):
                new_values = []
                for value in old:
                    if isinstance(value, _AST):
                        value = self.visit(value)
                        if value is None:
                            continue
                        if not isinstance(value, _AST):
                            new_values.extend(value)
                            continue
                    new_values.append(value)
                old[:] = new_values
            elif isinstance(old, _AST):
                new = self.visit(old)
                if new is None:
                    delattr(node, f)
                else:
                    setattr(node, f, new)
        return node
