"""round_half_up computed in place gives the bits of its formula, for every shape and dtype."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from zwgk_score.engine.aggregate import round_half_up


def formula(x, digits):
    scale = 10.0**digits
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-7) / scale + 0.0


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        st.sampled_from([np.float64, np.float32]),
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=6),
    )
    # integers as scores come (|x| < 2**63: the formula's abs() of the smallest int64 overflows)
    | hnp.arrays(np.int64, st.integers(0, 6), elements=st.integers(-(10**12), 10**12)),
    st.integers(0, 6),
)
def test_same_bits_as_the_formula(x, digits):
    # float32 near its largest value times 10**digits is inf in both (scores never come near)
    with np.errstate(over="ignore"):
        got, want = round_half_up(x, digits), formula(x, digits)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def test_halves_negative_zero_and_scalars():
    x = np.array([2.675, 1.005, -0.004, -0.005, 0.0, -0.0, np.nan])
    # half away from zero at 2 decimals, despite 2.675 being 2.67499… in binary; −0.004 → 0.0
    got = round_half_up(x, 2)
    assert got[:4].tolist() == [2.68, 1.01, 0.0, -0.01]
    assert np.signbit(got[2:6]).tolist() == [False, True, False, False]
    assert np.isnan(got[6])
    assert round_half_up(2.5, 0) == 3.0 and round_half_up(np.float64(-2.5), 0) == -3.0
