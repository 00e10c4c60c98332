"""tangentlike.trees gives what copy.deepcopy, ast.walk and NodeTransformer give."""

import ast
import copy
import inspect

import gast

from tangentlike import trees
from tangentlike.transform import reverse


def _tree():
    return gast.parse(inspect.getsource(reverse))


def _dump(node):
    """Every node's type and whole __dict__ (positions included), recursively."""
    if isinstance(node, list):
        return [_dump(x) for x in node]
    if isinstance(node, ast.AST):
        return type(node).__name__, {k: _dump(v) for k, v in node.__dict__.items()}
    return node


def test_clone_is_deepcopy():
    tree = _tree()
    copied = trees.clone(tree)
    assert _dump(copied) == _dump(copy.deepcopy(tree))
    originals = {id(n) for n in ast.walk(tree)}
    assert not any(id(n) in originals for n in ast.walk(copied))


def test_clone_keeps_shared_nodes_shared():
    node = gast.parse("x + 1").body[0].value
    a, b, c = trees.clone([node, node, [node]])
    assert a is b is c[0] and a is not node


def test_walk_and_name_ids():
    tree = _tree()
    assert [id(n) for n in trees.walk(tree)] == [id(n) for n in ast.walk(tree)]
    loads = {
        n.id for n in ast.walk(tree) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
    }
    assert trees.name_ids(tree, gast.Load) == loads


def test_substitute_and_transformer_match_node_transformer():
    class Rename(gast.NodeTransformer):
        def visit_Name(self, node):
            return gast.Name(id=node.id + "_", ctx=node.ctx, annotation=None, type_comment=None)

    class Fold(gast.NodeTransformer):
        def visit_BinOp(self, node):
            self.generic_visit(node)
            return node.left if isinstance(node.right, gast.Constant) else node

    class FastFold(trees.Transformer, Fold):
        pass

    want = Rename().visit(_tree())
    got = trees.substitute(_tree(), lambda n: Rename().visit_Name(n))
    assert _dump(got) == _dump(want)
    assert _dump(FastFold().visit(_tree())) == _dump(Fold().visit(_tree()))
