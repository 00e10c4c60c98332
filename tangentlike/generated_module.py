"""What the pipeline hands a backend: the generated module text with what it needs at run
time (``GeneratedModule``), made by a generation or rebuilt from the generation cache."""

from dataclasses import dataclass, field

from . import generation_cache as cache
from .parse.resolve import is_user_function
from .custom import custom_jvp, custom_vjp
from .parse.specialized import Specialized


@dataclass
class GeneratedModule:
    source: str  # the whole module text
    entry: str  # name of the generated function to call
    functions: list  # names of all generated functions
    namespace: dict  # user globals the text refers to
    user_functions: dict = field(default_factory=dict)  # name -> user function called
    primal: object = None  # the user function differentiated
    defs: list = field(default_factory=list)  # the generated gast FunctionDefs (for other targets)
    origins: dict = field(default_factory=dict)  # generated name -> name of the user function
    returns_result: bool = True  # False: a gradient-only entry, ``grad_f -> (grads...)``
    fingerprint: str = None  # of everything the code reaches (Numba's disk cache key)
    # [(argument indices, error)]: raise the error when one of those arguments is not a
    # number (an in-place update the code performs as a rebinding; call_checks.py)
    number_arguments: list = field(default_factory=list)


def primal_of(fn):
    """The plain Python function a derivative of ``fn`` differentiates."""
    fn = getattr(fn, "fn", fn) if isinstance(fn, Specialized) else fn
    if isinstance(fn, (custom_vjp, custom_jvp)):
        fn = fn.fn
    return getattr(fn, "py_func", fn)


def from_payload(fn, payload, namespace, fingerprint):
    """The module of ``fn``'s derivative from a generation-cache entry (``payload``) and
    the user globals it names, resolved (``namespace``)."""
    user_functions = {}
    for name, obj in namespace.items():
        if is_user_function(obj):
            user_functions[name] = obj.fn if isinstance(obj, (custom_vjp, custom_jvp)) else obj
    return GeneratedModule(
        source=payload["source"],
        entry=payload["entry"],
        functions=payload["functions"],
        namespace=namespace,
        user_functions=user_functions,
        primal=primal_of(fn),
        defs=cache.parse_definitions(payload["texts"]),
        origins=payload["origins"],
        returns_result=payload["returns_result"],
        fingerprint=fingerprint,
    )
