"""The linear scorers' sigmoid: scipy's expit to the bit, without importing scipy on the analysis path."""

from __future__ import annotations

import math
import sys

import numpy as np
from scipy.special import expit

from thumbs.pipeline.scorers import sigmoid

LARGEST_EXPONENT = math.log(sys.float_info.max)


def test_sigmoid_is_expit_to_the_bit() -> None:
    rng = np.random.default_rng(0)
    edges = [
        -800.0,
        -LARGEST_EXPONENT,
        np.nextafter(-LARGEST_EXPONENT, 0),
        np.nextafter(-LARGEST_EXPONENT, -1e3),
        709.8,
        800.0,
        0.0,
        -0.0,
        1e-300,
        -1e-300,
        np.inf,
        -np.inf,
        np.nan,
    ]
    x = np.concatenate([rng.normal(0.0, scale, 100_000) for scale in (0.1, 1.0, 5.0, 30.0, 300.0)] + [np.array(edges)])
    assert np.array_equal(sigmoid(x), expit(x), equal_nan=True)


def test_sigmoid_keeps_the_shape() -> None:
    assert sigmoid(0.0).shape == ()
    assert sigmoid(np.zeros((2, 3))).shape == (2, 3)
    assert sigmoid(np.zeros(0)).shape == (0,)
