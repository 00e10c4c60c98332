"""Stage 5: small passes over generated code (switchable with ``optimized=``)."""
from .simplify import simplify
from .dead_code import remove_dead_stores, drop_orphan_comments


def optimize(fdef, protected):
    """Simplify expressions, then drop dead stores to generated names."""
    simplify(fdef)
    remove_dead_stores(fdef, protected)
    fdef.body = drop_orphan_comments(fdef.body)
    return fdef
