"""tl.distributed.map_grad on a real dask.distributed LocalCluster (2 worker processes on
loopback); skipped when dask.distributed is not installed."""

import numpy as np
import pytest

import tangentlike as tl
from tests import pickle_funcs as pf
from tests.fd import assert_close, fd_grad

distributed = pytest.importorskip("dask.distributed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_map_grad_in_order_and_right(client):
    df = tl.grad(pf.loop_energy, wrt=(0, 1), compile="numba")
    params = [(np.linspace(0, 1, 5) * s, 2.0 + s) for s in range(6)]
    got = tl.distributed.map_grad(df, params, client)
    assert len(got) == 6
    for (x, k), (gx, gk) in zip(params, got):
        ex, ek = df(x, k)
        np.testing.assert_array_equal(gx, ex)
        assert gk == ek
        assert_close(gx, fd_grad(pf.loop_energy, (x, k), 0))


def test_single_arguments_and_value_and_grad(client):
    vg = tl.value_and_grad(pf.rosen)
    xs = [np.linspace(-1, 1, 4) * s for s in (0.5, 1.0, 1.5)]
    got = tl.distributed.map_grad(vg, xs, client)
    for x, (v, g) in zip(xs, got):
        assert v == pytest.approx(pf.rosen(x))
        np.testing.assert_allclose(g, tl.grad(pf.rosen)(x))
    assert tl.distributed.map_grad(vg, [], client) == []


def test_each_worker_builds_once(client):
    df = tl.grad(pf.rosen, compile="numba")
    tl.distributed.map_grad(df, [np.ones(4) * s for s in range(8)], client)
    counts = client.run(lambda: len(__import__("tangentlike.distributed").distributed._LOADED))
    assert all(n >= 1 for n in counts.values())
    before = counts
    tl.distributed.map_grad(df, [np.ones(4) * s for s in range(8)], client)
    after = client.run(lambda: len(__import__("tangentlike.distributed").distributed._LOADED))
    assert after == before  # the same derivative: nothing rebuilt


def test_without_client_starts_a_local_cluster():
    got = tl.distributed.map_grad(tl.grad(pf.cubic_sin), [0.3, 0.7])
    ref = tl.grad(pf.cubic_sin)
    assert got == [ref(0.3), ref(0.7)]


def test_refuses_non_derivative():
    with pytest.raises(tl.TangentlikeError, match="derivative made by tangentlike"):
        tl.distributed.map_grad(pf.rosen, [np.ones(3)], client=object())
