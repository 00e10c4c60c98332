"""Stage 5: small passes over generated code (switchable with ``optimized=``)."""
from .simplify import simplify
from .dead_code import remove_dead_temporaries


def optimize(fdef):
    simplify(fdef)
    remove_dead_temporaries(fdef)
    return fdef
