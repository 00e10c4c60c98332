"""Derivatives over a Dask cluster: ``map_grad`` maps one derivative over parameter sets.

    from dask.distributed import Client
    import tangentlike as tl
    client = Client()                                   # or any cluster's client
    df = tl.value_and_grad(loss, compile="numba")
    results = tl.distributed.map_grad(df, [(w, X, y) for w in starts], client)

The derivative travels once per worker, pickled (see ``tangentlike/pickling.py``: its
function by reference, or by value with cloudpickle for one defined in ``__main__``,
and its options); each worker rebuilds it at its first task and keeps it for the
following ones, so generation runs at most once per worker (usually not at all: the
generation cache and Numba's disk cache are on disk when the workers share the
machine). Without a client a ``LocalCluster`` of two worker processes on loopback is
started for the call and closed after it (seconds: pass a client to map many times).
Needs ``pip install "tangentlike[dask]"``.
"""

import hashlib
import pickle
import weakref

from .errors import TangentlikeError

_LOADED = {}  # on a worker: digest of a pickled derivative -> derivative
_PAYLOADS = weakref.WeakKeyDictionary()  # derivative -> (digest, pickled bytes)
_SCATTERED = weakref.WeakKeyDictionary()  # client -> {digest: future of the bytes}


def _dumps(df):
    try:
        import cloudpickle
    except ImportError:  # pragma: no cover - dask brings it
        return pickle.dumps(df)
    return cloudpickle.dumps(df)


def _run(digest, payload, args):
    """A task: the derivative (built once per worker process) applied to ``args``."""
    df = _LOADED.get(digest)
    if df is None:
        df = _LOADED[digest] = pickle.loads(payload)
    return df(*args)


def _payload(df):
    """The pickled derivative and its digest, made once per derivative."""
    try:
        return _PAYLOADS[df]
    except (KeyError, TypeError):
        pass
    payload = _dumps(df)
    out = hashlib.sha1(payload).hexdigest(), payload
    try:
        _PAYLOADS[df] = out
    except TypeError:  # not weakly referenceable: not kept
        pass
    return out


def _scattered(client, digest, payload):
    """The bytes on every worker, sent once per client (kept while the client lives)."""
    try:
        futures = _SCATTERED.setdefault(client, {})
    except TypeError:
        futures = {}
    if digest not in futures:
        [futures[digest]] = client.scatter([payload], broadcast=True, hash=False)
    return futures[digest]


def _arguments(item):
    return item if isinstance(item, tuple) else (item,)


def map_grad(df, params, client=None):
    """``[df(*item) for item in params]``, computed on a ``dask.distributed`` cluster.

    ``params``: an iterable of argument tuples; an item that is not a tuple (an array, a
    float) is the one argument. Results come back in order. ``client``: a
    ``dask.distributed.Client``; None starts a two-worker ``LocalCluster`` for this call.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise TangentlikeError(
            "tl.distributed.map_grad needs dask.distributed: pip install 'tangentlike[dask]'"
        ) from exc
    if not callable(getattr(df, "__reduce__", None)) or getattr(df, "source", None) is None:
        raise TangentlikeError(f"map_grad takes a derivative made by tangentlike, got {df!r}")
    items = [_arguments(item) for item in params]
    digest, payload = _payload(df)
    cluster = None
    if client is None:
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        )
        client = Client(cluster)
    try:
        if not items:
            return []
        shared = _scattered(client, digest, payload)
        futures = client.map(_run, [digest] * len(items), [shared] * len(items), items, pure=False)
        return client.gather(futures)
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
