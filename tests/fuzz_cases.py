"""Bad-input cases over every public maths function of nblib, and a judge that classifies each outcome.

Shared by ``benchmarks/survey_inputs.py`` (counts every category, before and after a change) and
``tests/test_fuzz_inputs.py`` (hypothesis samples the same cases and asserts "correct or a good error").

A case is ``(label, fn, kwargs, expect, arg)``: ``expect`` is ``"reject"`` (the call must raise an error
that names ``arg`` as the caller wrote it), ``"same"`` (it must return ``reference``), ``"same_or_error"``
(either ``reference`` or a good error) or ``"finite"`` (any finite result, or a good error).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from nblib import (
    activations,
    autodiff,
    deep,
    delta_rule,
    gradcheck,
    house_prices,
    losses,
    mistakes,
    octave,
    training,
    two_layer,
)

# --- outcomes -------------------------------------------------------------------------------------------

CATEGORIES = ("correct", "good error", "raw error", "silent NaN/inf", "wrong number", "wrong name",
              "refuses valid input")

RAW = re.compile(
    r"broadcast|matmul|'NoneType' object|type 'NoneType'|has no attribute|not enough values|too many values|"
    r"unhashable|has no len|"
    r"could not convert|ufunc|only integer|index \d+ is out of bounds|object is not (subscriptable|iterable|callable)"
    r"|unsupported operand|must be real number, not|invalid literal|pickled|codec can't|can't multiply|"
    r"division by zero|takes \d+ positional|got an unexpected keyword|object of type|not supported between",
)

# Every parameter name of every public function, plus the internal names that used to leak into messages.
ALL_NAMES = {
    "z", "x", "A_prev", "W", "b", "L_in", "L_out", "Theta1", "Theta2", "Y", "O", "A", "AL", "X", "dZ", "dA",
    "params", "parameters", "grads", "cache", "caches", "activations", "activation", "labels", "eps", "e", "J",
    "theta", "nn_params", "y", "W1", "W2", "d", "eta", "m", "learning_rate", "reduction", "f", "a",
    "W_ih", "W_ho", "b_ih", "b_ho", "p", "num_labels", "lambda_", "epochs", "batch_size",
}


def _named(name: str, message: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w(])", message) is not None


def _finite(result) -> bool:
    if isinstance(result, dict):
        return all(_finite(v) for v in result.values())
    if isinstance(result, (tuple, list)):
        return all(_finite(v) for v in result)
    if isinstance(result, (np.ndarray, float, np.floating, int, np.integer)):
        arr = np.asarray(result)
        return arr.dtype.kind not in "fc" or bool(np.all(np.isfinite(arr)))
    return True


def _same(result, reference, rtol) -> bool:
    if isinstance(reference, dict):
        return isinstance(result, dict) and set(result) == set(reference) and all(
            _same(result[k], reference[k], rtol) for k in reference)
    if isinstance(reference, (tuple, list)):
        return isinstance(result, (tuple, list)) and len(result) == len(reference) and all(
            _same(r, s, rtol) for r, s in zip(result, reference))
    if isinstance(reference, (np.ndarray, float, int, np.floating, np.integer)):
        try:
            a, b = np.asarray(result, dtype=float), np.asarray(reference, dtype=float)
        except (TypeError, ValueError):
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-12))
    return True


def classify(call: Callable, expect: str, arg: str, reference=None, rtol: float = 1e-9,
             key: str = "") -> tuple[str, str]:
    """Run ``call()`` and return (category, detail); ``key`` is the dict entry that was corrupted, if any
    (a message may name it by its key, as lesson 03 prints "W_ho has shape …" for params['W_ho'])."""
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - classifying every error is the point
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        detail = f"{type(exc).__name__}: {message[:160]}"
        if not isinstance(exc, (TypeError, ValueError, KeyError, FileNotFoundError)) or RAW.search(message):
            return "raw error", detail
        if expect == "same":
            return "refuses valid input", detail
        if _named(arg, message) or (key and _named(key, message)):
            hint = re.search(r"did you mean ([\w\[\]'\"]+)\.T\b", message)
            if hint and not hint[1].startswith(arg) and hint[1] != key:
                return "wrong name", detail
            return "good error", detail
        others = [n for n in ALL_NAMES if n != arg and _named(n, message)] + re.findall(r"\bd?[WbAZ]\d+\b", message)
        return ("wrong name" if others else "raw error"), detail
    if expect == "reject":
        return ("silent NaN/inf" if not _finite(result) else "wrong number"), f"returned {str(result)[:80]}"
    if not _finite(result) and (reference is None or _finite(reference)):
        return "silent NaN/inf", f"returned {str(result)[:80]}"
    if expect in ("same", "same_or_error") and not _same(result, reference, rtol):
        return "wrong number", f"returned {str(result)[:80]}, expected {str(reference)[:80]}"
    return "correct", ""


# --- valid calls ----------------------------------------------------------------------------------------

M = np.array([[0.2, 0.4, 0.6]])
Y3 = np.array([[0.0, 1.0, 1.0]])
X_HP = np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [1.0, -1.1, 1.2]])   # (4, 3)
TL_PARAMS = two_layer.init_params(4, 5, 1, seed=0)
TL_CACHE = two_layer.forward(X_HP, TL_PARAMS)
TL_GRADS = two_layer.backward(X_HP, Y3 * 0.8 + 0.1, TL_PARAMS, TL_CACHE)
DP = deep.initialize_parameters([4, 3, 2], seed=1)
DACTS = ["relu", "sigmoid"]
AL_D, CACHES_D = deep.model_forward(X_HP, DP, DACTS)
Y_D = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
D_GRADS = deep.model_backward(AL_D, Y_D, CACHES_D, DACTS)
A0, W1_D, b1_D = CACHES_D[0][0]
dZ1 = np.sin(np.arange(9.0)).reshape(3, 3)[:, :3] / 10
X_OCT = octave.debug_initialize_weights(5, 2)          # (5, 3) examples × features
Y_OCT = np.array([2, 3, 1, 2, 3])
T1 = octave.debug_initialize_weights(5, 3)             # (5, 4)
T2 = octave.debug_initialize_weights(3, 5)             # (3, 6)
NN = octave.unroll(T1, T2)
SKIP_P = {"W1": np.sin(np.arange(12.0)).reshape(3, 4) / 3 + 0.1, "b1": np.full((3, 1), 0.1),
          "W2": np.cos(np.arange(9.0)).reshape(3, 3) / 3, "b2": np.full((3, 1), 0.1),
          "W3": np.sin(np.arange(3.0)).reshape(1, 3) / 3 + 0.2, "b3": np.zeros((1, 1))}
SKIP_AL, SKIP_CACHE = mistakes.skip_forward(X_HP, SKIP_P)
AL_10 = np.eye(10)[:, [3, 1, 4, 1, 5]] * 0.8 + 0.1       # (10, 5), predicts 3 1 4 1 5
LABELS_10 = np.array([3, 1, 4, 1, 5])
Z_S = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.4]])     # (2 classes, 3 examples): softmax scores (lesson 09)
Y_S = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])       # one-hot columns
DP_S = deep.initialize_parameters([4, 3, 2], seed=1)
SACTS = ["relu", "softmax"]
AL_S, CACHES_S = deep.model_forward(X_HP, DP_S, SACTS)


def _quiet(*_args, **_kwargs):
    return None


def _sum_sq(t):
    return float(np.sum(np.asarray(t) ** 2))


# name → (function, valid kwargs, {arg: kind}); kind picks the corruptions (see _variants).
# Kinds: "array" (any float array), "elementwise" (any shape accepted), "labels", "int", "int0" (0 allowed),
# "real+" (> 0), "real0" (≥ 0), "dict", "acts", "act", "reduction", "callable", "cache", "caches", "cache2l".
FUNCTIONS: dict[str, tuple[Callable, dict, dict]] = {
    "activations.sigmoid": (activations.sigmoid, {"z": M}, {"z": "elementwise"}),
    "activations.sigmoid_gradient": (activations.sigmoid_gradient, {"z": M}, {"z": "elementwise"}),
    "activations.relu": (activations.relu, {"z": M}, {"z": "elementwise"}),
    "activations.relu_gradient": (activations.relu_gradient, {"z": M}, {"z": "elementwise"}),
    "losses.half_squared_error": (losses.half_squared_error, {"Y": Y3, "O": M, "reduction": "mean"},
                                  {"Y": "array", "O": "array", "reduction": "reduction"}),
    "losses.half_squared_error_gradient": (losses.half_squared_error_gradient,
                                           {"Y": Y3, "O": M, "reduction": "mean"},
                                           {"Y": "array", "O": "array", "reduction": "reduction"}),
    "losses.binary_cross_entropy": (losses.binary_cross_entropy, {"A": M, "Y": Y3, "eps": 1e-15},
                                    {"A": "array", "Y": "array", "eps": "eps"}),
    "activations.softmax": (activations.softmax, {"z": Z_S}, {"z": "elementwise"}),
    "activations.log_softmax": (activations.log_softmax, {"z": Z_S}, {"z": "elementwise"}),
    "losses.categorical_cross_entropy": (losses.categorical_cross_entropy, {"A": activations.softmax(Z_S), "Y": Y_S,
                                                                            "eps": 1e-15},
                                         {"A": "array", "Y": "array", "eps": "eps"}),
    "losses.softmax_cross_entropy": (losses.softmax_cross_entropy, {"Z": Z_S, "Y": Y_S}, {"Z": "array", "Y": "array"}),
    "losses.softmax_cross_entropy_gradient": (losses.softmax_cross_entropy_gradient, {"Z": Z_S, "Y": Y_S},
                                              {"Z": "array", "Y": "array"}),
    "gradcheck.numerical_gradient": (gradcheck.numerical_gradient, {"f": _sum_sq, "x": M.copy(), "eps": 1e-5},
                                     {"f": "callable", "eps": "real+"}),
    "gradcheck.relative_error": (gradcheck.relative_error, {"a": M, "b": M * 1.5}, {"a": "array", "b": "array"}),
    "gradcheck.relative_errors": (gradcheck.relative_errors, {"a": M, "b": M * 1.5}, {"a": "array", "b": "array"}),
    "house_prices.load_house_prices": (house_prices.load_house_prices, {"m": 10}, {"m": "int"}),
    "two_layer.init_params": (two_layer.init_params, {"n_in": 4, "n_hidden": 5, "n_out": 1, "seed": 0, "scale": 0.5},
                              {"n_in": "int", "n_hidden": "int", "seed": "int0", "scale": "real+"}),
    "two_layer.check_params": (two_layer.check_params, {"params": TL_PARAMS}, {"params": "dict"}),
    "two_layer.forward": (two_layer.forward, {"X": X_HP, "params": TL_PARAMS}, {"X": "array", "params": "dict"}),
    "two_layer.loss": (two_layer.loss, {"X": X_HP, "Y": Y3, "params": TL_PARAMS, "reduction": "sum"},
                       {"X": "array", "Y": "array", "params": "dict", "reduction": "reduction"}),
    "two_layer.backward": (two_layer.backward, {"X": X_HP, "Y": Y3, "params": TL_PARAMS, "cache": TL_CACHE,
                                                "reduction": "sum"},
                           {"X": "array", "Y": "array", "params": "dict", "cache": "dict", "reduction": "reduction"}),
    "two_layer.gradient_step": (two_layer.gradient_step, {"params": TL_PARAMS, "grads": TL_GRADS,
                                                          "learning_rate": 0.5},
                                {"params": "dict", "grads": "dict", "learning_rate": "real0"}),
    "two_layer.train": (two_layer.train, {"X": X_HP, "Y": Y3, "params": TL_PARAMS, "learning_rate": 0.5,
                                          "epochs": 2, "report": _quiet},
                        {"X": "array", "Y": "array", "params": "dict", "learning_rate": "real0", "epochs": "int"}),
    "deep.initialize_parameters": (deep.initialize_parameters, {"layer_dims": [4, 3, 2], "seed": 1, "scale": "he"},
                                   {"seed": "int0"}),
    "deep.linear_forward": (deep.linear_forward, {"A_prev": A0, "W": W1_D, "b": b1_D},
                            {"A_prev": "array", "W": "array", "b": "array"}),
    "deep.linear_activation_forward": (deep.linear_activation_forward,
                                       {"A_prev": A0, "W": W1_D, "b": b1_D, "activation": "relu"},
                                       {"A_prev": "array", "W": "array", "b": "array", "activation": "act"}),
    "deep.model_forward": (deep.model_forward, {"X": X_HP, "parameters": DP, "activations": DACTS},
                           {"X": "array", "parameters": "dict", "activations": "acts"}),
    "deep.compute_cost": (deep.compute_cost, {"AL": AL_D, "Y": Y_D}, {"AL": "array", "Y": "array"}),
    "deep.compute_cost(softmax)": (lambda AL, Y, activation: deep.compute_cost(AL, Y, activation),
                                   {"AL": AL_S, "Y": Y_S, "activation": "softmax"},
                                   {"AL": "array", "Y": "array", "activation": "act"}),
    "deep.model_backward(softmax)": (deep.model_backward, {"AL": AL_S, "Y": Y_S, "caches": CACHES_S,
                                                           "activations": SACTS},
                                     {"AL": "array", "Y": "array", "caches": "caches", "activations": "acts"}),
    "deep.linear_backward": (deep.linear_backward, {"dZ": dZ1, "cache": CACHES_D[0][0]},
                             {"dZ": "array", "cache": "cache"}),
    "deep.linear_activation_backward": (deep.linear_activation_backward,
                                        {"dA": dZ1, "cache": CACHES_D[0], "activation": "relu"},
                                        {"dA": "array", "cache": "cache2l", "activation": "act"}),
    "deep.model_backward": (deep.model_backward, {"AL": AL_D, "Y": Y_D, "caches": CACHES_D, "activations": DACTS},
                            {"AL": "array", "Y": "array", "caches": "caches", "activations": "acts"}),
    "deep.update_parameters": (deep.update_parameters, {"parameters": DP, "grads": D_GRADS, "learning_rate": 0.1},
                               {"parameters": "dict", "grads": "dict", "learning_rate": "real0"}),
    "deep.cost_of": (lambda X, Y, activations: deep.cost_of(X, Y, activations)(DP),
                     {"X": X_HP, "Y": Y_D, "activations": DACTS},
                     {"X": "array", "Y": "array", "activations": "acts"}),
    "deep.cost_from": (lambda l, Y, parameters, activations: deep.cost_from(l, Y, parameters, activations)(
                           {f"A{l}": np.ones((DP["W1"].shape[1], Y_D.shape[1]))}),
                       {"l": 0, "Y": Y_D, "parameters": DP, "activations": DACTS},
                       {"Y": "array", "parameters": "dict", "activations": "acts"}),
    "delta_rule.forward": (delta_rule.forward, {"x": np.array([0.35, 0.9]), "W1": T1[:2, :3], "W2": T2[0, :3]},
                           {"x": "array", "W1": "array", "W2": "array"}),
    "delta_rule.error": (delta_rule.error, {"x": np.array([0.35, 0.9]), "d": 0.5, "W1": T1[:2, :3],
                                            "W2": T2[0, :3]}, {"x": "array", "d": "real", "W1": "array"}),
    "delta_rule.deltas": (delta_rule.deltas, {"x": np.array([0.35, 0.9]), "d": 0.5, "W1": T1[:2, :3],
                                              "W2": T2[0, :3]}, {"x": "array", "d": "real", "W2": "array"}),
    "delta_rule.weight_changes": (delta_rule.weight_changes, {"x": np.array([0.35, 0.9]), "d": 0.5,
                                                              "W1": T1[:2, :3], "W2": T2[0, :3], "eta": 1.0},
                                  {"x": "array", "d": "real", "W1": "array", "W2": "array", "eta": "real0"}),
    "octave.one_hot": (octave.one_hot, {"y": Y_OCT, "num_labels": 3}, {"y": "labels", "num_labels": "int"}),
    "octave.add_bias_column": (octave.add_bias_column, {"X": X_OCT}, {"X": "array"}),
    "octave.rand_initialize_weights": (octave.rand_initialize_weights, {"L_in": 3, "L_out": 5, "epsilon_init": 0.12,
                                                                         "rng": 0},
                                       {"L_in": "int", "L_out": "int", "epsilon_init": "real+"}),
    "octave.debug_initialize_weights": (octave.debug_initialize_weights, {"fan_out": 5, "fan_in": 3},
                                        {"fan_out": "int", "fan_in": "int0"}),
    "octave.unroll": (octave.unroll, {"Theta1": T1, "Theta2": T2}, {"Theta1": "elementwise", "Theta2": "elementwise"}),
    "octave.reshape_params": (octave.reshape_params, {"nn_params": NN, "input_layer_size": 3, "hidden_layer_size": 5,
                                                      "num_labels": 3},
                              {"input_layer_size": "int", "hidden_layer_size": "int", "num_labels": "int"}),
    "octave.forward": (octave.forward, {"Theta1": T1, "Theta2": T2, "X": X_OCT},
                       {"Theta1": "array", "Theta2": "array", "X": "array"}),
    "octave.nn_cost_function": (octave.nn_cost_function, {"nn_params": NN, "input_layer_size": 3,
                                                          "hidden_layer_size": 5, "num_labels": 3, "X": X_OCT,
                                                          "y": Y_OCT, "lambda_": 1.0},
                                {"nn_params": "array", "X": "array", "y": "labels", "lambda_": "real0",
                                 "input_layer_size": "int"}),
    "octave.predict": (octave.predict, {"Theta1": T1, "Theta2": T2, "X": X_OCT},
                       {"Theta1": "array", "Theta2": "array", "X": "array"}),
    "octave.compute_numerical_gradient": (octave.compute_numerical_gradient, {"J": _sum_sq, "theta": NN[:6],
                                                                              "e": 1e-4},
                                          {"J": "callable", "theta": "elementwise", "e": "real+"}),
    "octave.check_nn_gradients": (octave.check_nn_gradients, {"lambda_": 1.0, "verbose": False},
                                  {"lambda_": "real0"}),
    "octave.train": (octave.train, {"X": X_OCT, "y": Y_OCT, "input_layer_size": 3, "hidden_layer_size": 5,
                                    "num_labels": 3, "iterations": 3},
                     {"X": "array", "y": "labels", "iterations": "int", "num_labels": "int"}),
    "training.one_hot_columns": (training.one_hot_columns, {"labels": LABELS_10, "num_classes": 10},
                                 {"labels": "labels", "num_classes": "int"}),
    "training.accuracy": (training.accuracy, {"AL": AL_10, "labels": LABELS_10}, {"AL": "array", "labels": "labels"}),
    "training.train_minibatch": (training.train_minibatch, {"X": X_HP, "Y": Y_D, "parameters": DP,
                                                            "activations": DACTS, "learning_rate": 0.1, "epochs": 2,
                                                            "batch_size": 2},
                                 {"X": "array", "Y": "array", "parameters": "dict", "activations": "acts",
                                  "learning_rate": "real+", "epochs": "int", "batch_size": "int"}),
    "training.per_example_gradients": (training.per_example_gradients, {"X": X_HP, "Y": Y_D, "parameters": DP,
                                                                        "activations": DACTS},
                                       {"X": "array", "Y": "array", "parameters": "dict", "activations": "acts"}),
    "mistakes.clinic_backward": (mistakes.clinic_backward, {"AL": AL_D, "Y": Y_D, "caches": CACHES_D,
                                                            "activations": DACTS},
                                 {"AL": "array", "Y": "array", "caches": "caches", "activations": "acts"}),
    "mistakes.update_with_wrong_sign": (mistakes.update_with_wrong_sign,
                                        {"parameters": DP, "grads": D_GRADS, "learning_rate": 0.1},
                                        {"parameters": "dict", "grads": "dict", "learning_rate": "real0"}),
    "mistakes.skip_forward": (mistakes.skip_forward, {"X": X_HP, "p": SKIP_P}, {"X": "array", "p": "dict"}),
    "mistakes.skip_backward": (mistakes.skip_backward, {"AL": SKIP_AL, "Y": Y3, "cache": SKIP_CACHE, "p": SKIP_P},
                               {"AL": "array", "Y": "array", "p": "dict"}),
    "mistakes.skip_cost": (lambda X, Y: mistakes.skip_cost(X, Y)(SKIP_P), {"X": X_HP, "Y": Y3},
                           {"X": "array", "Y": "array"}),
    "mistakes.loss_curve": (mistakes.loss_curve, {"X": X_HP, "Y": Y_D, "parameters": DP, "activations": DACTS,
                                                  "learning_rate": 0.1, "steps": 2},
                            {"X": "array", "Y": "array", "parameters": "dict", "activations": "acts",
                             "learning_rate": "real0", "steps": "int"}),
}
for _zoo in ("missing_transpose", "missing_1_over_m", "sigma_prime_of_A", "db_wrong_axis", "db_without_keepdims",
             "relu_prime_of_wrong_tensor", "sigma_prime_twice_at_output"):
    FUNCTIONS[f"mistakes.{_zoo}"] = (getattr(mistakes, _zoo), {"AL": AL_D, "Y": Y_D, "caches": CACHES_D,
                                                              "activations": DACTS},
                                     {"AL": "array", "Y": "array", "caches": "caches", "activations": "acts"})
FUNCTIONS["mistakes.update_inside_backward"] = (
    lambda parameters, learning_rate: mistakes.update_inside_backward(parameters, learning_rate)(
        AL_D, Y_D, deep.model_forward(X_HP, parameters, DACTS)[1], DACTS),
    {"parameters": DP, "learning_rate": 0.1}, {"parameters": "dict", "learning_rate": "real0"})


# Corruptions that are not mistakes for that argument: e.g. a forward pass takes any number of columns
# (observations), an Octave X any number of rows, a label vector of any length when nothing else has that length.
FREE_COLUMNS = {("deep.linear_forward", "A_prev"), ("deep.linear_activation_forward", "A_prev"),
                ("deep.model_forward", "X"), ("two_layer.forward", "X"), ("mistakes.skip_forward", "X"),
                ("octave.add_bias_column", "X")}
OVERRIDES = {
    ("octave.one_hot", "y", "one short"): "finite",
    ("training.one_hot_columns", "labels", "one short"): "finite",
    ("house_prices.load_house_prices", "m", "None"): "finite",
    ("octave.nn_cost_function", "nn_params", "2-D row"): "same_or_error",
    ("octave.add_bias_column", "X", "transposed"): "finite",
    ("mistakes.loss_curve", "steps", "zero"): "finite",
}
for _name in ("error", "deltas", "weight_changes"):
    OVERRIDES[(f"delta_rule.{_name}", "d", "negative")] = "finite"
UNUSED_KEYS = ("dA", "Z1", "Z2")


def _array_variants(v: np.ndarray, any_shape: bool, probability: bool):
    shape_kind = "finite" if any_shape else "reject"
    out = [("None", None, "reject"), ("a string", "0.5", "reject"),
           ("a list", v.tolist(), "same_or_error"), ("float32", v.astype(np.float32), "same_or_error")]
    if v.size:
        bad = v.copy()
        bad.flat[0] = np.nan
        out.append(("NaN", bad, "reject"))
        bad = v.copy()
        bad.flat[-1] = np.inf
        out.append(("inf", bad, "reject"))
        out.append(("huge", v * 1e300 if not probability else v.copy(), "finite"))
    out += [("complex", v + 1j, "reject"), ("object", v.astype(object), "reject")]
    if np.all(v == np.round(v)):
        out.append(("int dtype", v.astype(np.int64), "same_or_error"))
        if np.all((v == 0) | (v == 1)):
            out.append(("bool dtype", v.astype(bool), "same_or_error"))
    if v.ndim == 2 and v.shape[0] != v.shape[1]:
        out.append(("transposed", v.T.copy(), shape_kind))
    if v.ndim == 2:
        out.append(("1-D", v.ravel(), shape_kind))
    if v.ndim == 1:
        out.append(("2-D row", v[None, :], shape_kind))
    if v.ndim >= 1:
        out.append(("empty", v[..., :0], shape_kind))
        out.append(("one more column", np.concatenate([v, v[..., :1]], axis=-1), shape_kind))
    return out


def _scalar_variants(v, kind: str):
    out = [("None", None, "reject"), ("a string", str(v), "reject"), ("bool True", True, "reject"),
           ("NaN", float("nan"), "reject"), ("inf", float("inf"), "reject"), ("negative", -1 if kind.startswith(
               "int") else -0.5, "reject"), ("a list", [v], "reject"), ("complex", complex(v), "reject")]
    if kind.startswith("int"):
        out += [("np.int64", np.int64(v), "same"), ("a fraction", 2.5, "reject"), ("float", float(v), "same_or_error"),
                ("zero", 0, "finite" if kind == "int0" else "reject")]
    else:
        out += [("np.float64", np.float64(v), "same"), ("float32", np.float32(v), "same_or_error"),
                ("zero", 0.0, "reject" if kind in ("real+", "eps") else "finite"),
                ("huge", 1e300, "reject" if kind == "eps" else "finite")]
        if kind == "eps":
            out.append(("0.6", 0.6, "reject"))
    return out


def _dict_variants(v: dict, arg: str):
    keys = [k for k in v if not k.startswith(UNUSED_KEYS)]
    out = [("None", None, "reject"), ("a list", list(v.values()), "reject"),
           ("missing key", {k: x for k, x in v.items() if k != keys[-1]}, "reject"),
           ("renamed keys", {k + "_": x for k, x in v.items()}, "reject"),
           ("list-valued", {k: (x.tolist() if isinstance(x, np.ndarray) else x) for k, x in v.items()},
            "same_or_error")]
    for key in (keys[0], keys[-1]):
        x = v[key]
        if not isinstance(x, np.ndarray):
            continue
        for label, bad, expect in _array_variants(x, any_shape=False, probability=key in ("O", "h1")):
            if label in ("a list", "huge", "float32", "int dtype", "bool dtype"):
                continue
            if label == "empty" and x.shape[-1] == 3 and arg == "cache":
                continue
            out.append((f"[{key!r}] {label}", {**v, key: bad}, expect))
    return out


def _other_variants(v, kind: str):
    if kind == "callable":
        return [("None", None, "reject"), ("a number", 3.0, "reject")]
    if kind in ("act", "reduction"):
        return [("None", None, "reject"), ("wrong case", str(v).upper(), "reject"), ("a number", 3, "reject")]
    if kind == "acts":
        return [("None", None, "reject"), ("a string", "relu", "reject"), ("one short", list(v)[:-1], "reject"),
                ("unknown name", [*list(v)[:-1], "softplus"], "reject"), ("a tuple", tuple(v), "same")]
    if kind == "labels":
        labels = np.asarray(v)
        return [("None", None, "reject"), ("a string", "1", "reject"), ("a list", labels.tolist(), "same_or_error"),
                ("column", labels.reshape(-1, 1), "same_or_error"), ("float whole", labels.astype(float),
                                                                     "same_or_error"),
                ("fractional", labels + 0.5, "reject"), ("NaN", np.where(labels == labels[0], np.nan, labels),
                                                         "reject"),
                ("out of range", labels + 20, "reject"), ("negative", labels - 10, "reject"),
                ("one short", labels[:-1], "reject"), ("2-D", np.vstack([labels, labels]), "reject")]
    if kind == "cache":
        A_prev, W, b = v
        return [("None", None, "reject"), ("two items", (A_prev, W), "reject"),
                ("W transposed", (A_prev, W.T.copy(), b), "reject"), ("a dict", {"A_prev": A_prev}, "reject")]
    if kind == "cache2l":
        (A_prev, W, b), Z = v
        return [("None", None, "reject"), ("flat", (A_prev, W, b, Z), "reject"), ("Z only", Z, "reject"),
                ("Z one column short", ((A_prev, W, b), Z[:, :-1].copy()), "reject")]
    if kind == "caches":
        return [("None", None, "reject"), ("one short", list(v)[:-1], "reject"), ("a tuple", tuple(v), "same"),
                ("bad entry", [v[0], v[1][0]], "reject")]
    raise ValueError(kind)


@dataclass
class Case:
    label: str
    function: str
    arg: str
    expect: str
    kwargs: dict
    reference: object = None
    rtol: float = 1e-9
    extra: dict = field(default_factory=dict)

    def run(self) -> tuple[str, str]:
        fn = FUNCTIONS[self.function][0] if self.function in FUNCTIONS else SPECIAL_FUNCTIONS[self.function]
        kwargs = copy.deepcopy(self.kwargs)
        key = re.search(r"\(\w+=\['(\w+)'\]", self.label)
        return classify(lambda: fn(**kwargs), self.expect, self.arg, self.reference, self.rtol, key[1] if key else "")


_REFERENCES: dict[str, object] = {}


def reference(name: str):
    if name not in _REFERENCES:
        fn, valid, _ = FUNCTIONS[name]
        _REFERENCES[name] = fn(**copy.deepcopy(valid))
    return _REFERENCES[name]


def enumerated_cases() -> list[Case]:
    cases = []
    for name, (_fn, valid, args) in FUNCTIONS.items():
        ref = reference(name)
        for arg, kind in args.items():
            v = valid[arg]
            if kind in ("array", "elementwise"):
                variants = _array_variants(np.asarray(v), kind == "elementwise", probability=arg in ("A", "AL"))
            elif kind in ("int", "int0", "real", "real+", "real0", "eps"):
                variants = _scalar_variants(v, kind)
            elif kind == "dict":
                variants = _dict_variants(v, arg)
            else:
                variants = _other_variants(v, kind)
            for label, bad, expect in variants:
                if (name, arg) in FREE_COLUMNS and label in ("one more column", "empty"):
                    expect = "finite"
                expect = OVERRIDES.get((name, arg, label), expect)
                rtol = 1e-4 if "float32" in label or "list" in label else 1e-9
                cases.append(Case(f"{name}({arg}={label})", name, arg, expect, {**valid, arg: bad}, ref, rtol))
    return cases + special_cases()


# --- the named cases --------------------------------------------------------------------------

def _chain(n):
    """∂/∂x of x · 1 · 1 ⋯ (n products): a graph n nodes deep, which a recursive sort could not walk."""
    x = autodiff.Tensor(2.0, "x")
    y = x
    for _ in range(n):
        y = y * 1.0
    y.backward()
    return float(x.grad)


def _cycle(name):
    """A graph whose node ``name`` was made its own ancestor by hand: backward must refuse, naming it."""
    a = autodiff.Tensor(1.0, name)
    b = a * 2.0
    a.parents = (b,)
    b.backward()


def _steep(x):
    """log(x) · 1e200 at a tiny x: the gradient 1e200 / x overflows float64."""
    t = autodiff.Tensor(x, "x")
    (t.log() * 1e200).sum().backward()
    return t.grad


def _enter_rules(**rules):
    with autodiff.your_rules(**rules):
        pass


def _times_vector(B):
    return autodiff.Tensor(np.ones((2, 3)), "A") @ B


SPECIAL_FUNCTIONS = {
    "autodiff.zero_grad": autodiff.zero_grad,
    "autodiff.chain": _chain,
    "autodiff.cycle": _cycle,
    "autodiff.mean": lambda x, axis=None: autodiff.Tensor(x, "x").mean(axis=axis).value,
    "autodiff.matmul": _times_vector,
    "autodiff.steep": _steep,
    "autodiff.exp": lambda x: autodiff.Tensor(x, "x").exp().value,
    "autodiff.divide": lambda b: (autodiff.Tensor(np.ones(2), "a") / autodiff.Tensor(b, "b")).value,
    "autodiff.power": lambda x, p: (autodiff.Tensor(x, "x") ** p).value,
    "autodiff.topological_order": autodiff.topological_order,
    "autodiff.backward": lambda grad: autodiff.Tensor(np.ones((2, 2)), "x").backward(grad),
    "autodiff.your_rules": _enter_rules,
    "autodiff.Tensor": autodiff.Tensor,
    "octave.compute_numerical_gradient": octave.compute_numerical_gradient,
    "training.accuracy": training.accuracy,
    "house_prices.load_house_prices": house_prices.load_house_prices,
    "house_prices.X": lambda m: house_prices.load_house_prices(m).X,
    "octave.unroll": octave.unroll,
    "losses.binary_cross_entropy": losses.binary_cross_entropy,
    "losses.half_squared_error": losses.half_squared_error,
    "two_layer.train": two_layer.train,
    "deep.model_backward": deep.model_backward,
    "deep.compute_cost": deep.compute_cost,
    "deep.update_parameters": deep.update_parameters,
    "two_layer.gradient_step": two_layer.gradient_step,
    "two_layer.backward": two_layer.backward,
    "deep.linear_forward": deep.linear_forward,
    "deep.linear_backward": deep.linear_backward,
    "deep.model_forward": deep.model_forward,
    "two_layer.forward": two_layer.forward,
    "octave.forward": octave.forward,
}


def special_cases() -> list[Case]:
    col = np.array([[1.0], [2.0], [3.0]])
    hp = house_prices.load_house_prices(10)
    nan_grads = {**D_GRADS, "dW1": np.full_like(D_GRADS["dW1"], np.nan)}
    nan_tl = {**TL_GRADS, "W_ih": np.full_like(TL_GRADS["W_ih"], np.nan)}
    true_bce = float(-np.mean(Y3 * np.log(M) + (1 - Y3) * np.log(1 - M)))
    return [
        Case("numerical gradient of a column", "octave.compute_numerical_gradient", "theta", "same",
             {"J": _sum_sq, "theta": col}, 2 * col, 1e-6),
        Case("numerical gradient of a row", "octave.compute_numerical_gradient", "theta", "same",
             {"J": _sum_sq, "theta": col.T}, 2 * col.T, 1e-6),
        Case("numerical gradient e=0", "octave.compute_numerical_gradient", "e", "reject",
             {"J": _sum_sq, "theta": col, "e": 0}),
        Case("accuracy 1-based labels", "training.accuracy", "labels", "reject",
             {"AL": np.eye(10)[:, [9, 0, 3, 0, 4]], "labels": np.array([10, 1, 4, 1, 5])}),
        Case("accuracy column labels", "training.accuracy", "labels", "same",
             {"AL": AL_10, "labels": LABELS_10.reshape(-1, 1)}, 1.0),
        Case("accuracy labels=None", "training.accuracy", "labels", "reject", {"AL": AL_10, "labels": None}),
        Case("accuracy length mismatch", "training.accuracy", "labels", "reject",
             {"AL": AL_10, "labels": LABELS_10[:3]}),
        Case("load_house_prices(1)", "house_prices.load_house_prices", "m", "reject", {"m": 1}),
        Case("load_house_prices(True)", "house_prices.load_house_prices", "m", "reject", {"m": True}),
        Case("load_house_prices(10**12)", "house_prices.load_house_prices", "m", "reject", {"m": 10 ** 12}),
        Case("load_house_prices(np.int64(10))", "house_prices.X", "m", "same", {"m": np.int64(10)}, hp.X),
        Case("unroll(None, T2)", "octave.unroll", "Theta1", "reject", {"Theta1": None, "Theta2": T2}),
        Case("unroll('0.5', T2)", "octave.unroll", "Theta1", "reject", {"Theta1": "0.5", "Theta2": T2}),
        Case("unroll(complex)", "octave.unroll", "Theta2", "reject", {"Theta1": T1, "Theta2": T2 + 1j}),
        Case("bce eps=0.6", "losses.binary_cross_entropy", "eps", "reject", {"A": M, "Y": Y3, "eps": 0.6}),
        Case("bce eps=nan", "losses.binary_cross_entropy", "eps", "reject", {"A": M, "Y": Y3, "eps": float("nan")}),
        Case("bce eps=None", "losses.binary_cross_entropy", "eps", "reject", {"A": M, "Y": Y3, "eps": None}),
        Case("bce default", "losses.binary_cross_entropy", "A", "same", {"A": M, "Y": Y3}, true_bce),
        Case("bce empty", "losses.binary_cross_entropy", "A", "reject", {"A": M[:, :0], "Y": Y3[:, :0]}),
        Case("half_squared_error mean empty", "losses.half_squared_error", "Y", "reject",
             {"Y": Y3[:, :0], "O": M[:, :0], "reduction": "mean"}),
        Case("two_layer.train empty", "two_layer.train", "X", "reject",
             {"X": X_HP[:, :0], "Y": Y3[:, :0], "params": TL_PARAMS, "learning_rate": 0.5, "epochs": 1,
              "report": _quiet}),
        Case("model_backward 2*Y", "deep.model_backward", "Y", "reject",
             {"AL": AL_D, "Y": 2 * Y_D, "caches": CACHES_D, "activations": DACTS}),
        Case("update_parameters NaN grads", "deep.update_parameters", "grads", "reject",
             {"parameters": DP, "grads": nan_grads, "learning_rate": 0.1}),
        Case("gradient_step NaN grads", "two_layer.gradient_step", "grads", "reject",
             {"params": TL_PARAMS, "grads": nan_tl, "learning_rate": 0.1}),
        Case("two_layer.backward NaN cache", "two_layer.backward", "cache", "reject",
             {"X": X_HP, "Y": Y3, "params": TL_PARAMS, "cache": {**TL_CACHE, "O": TL_CACHE["O"] * np.nan}}),
        Case("linear_forward W.T", "deep.linear_forward", "W", "reject", {"A_prev": A0, "W": W1_D.T, "b": b1_D}),
        Case("model_backward AL.T", "deep.model_backward", "AL", "reject",
             {"AL": AL_D.T, "Y": Y_D, "caches": CACHES_D, "activations": DACTS}),
        Case("octave.forward wrong X", "octave.forward", "X", "reject", {"Theta1": T1, "Theta2": T2,
                                                                         "X": X_OCT[:, :2]}),
        Case("half_squared_error Y.T", "losses.half_squared_error", "Y", "reject", {"Y": Y3.T, "O": M}),
        Case("linear_backward (A, W)", "deep.linear_backward", "cache", "reject",
             {"dZ": dZ1, "cache": CACHES_D[0][0][:2]}),
        Case("model_forward activations=None", "deep.model_forward", "activations", "reject",
             {"X": X_HP, "parameters": DP, "activations": None}),
        Case("two_layer.forward list params", "two_layer.forward", "params", "same_or_error",
             {"X": X_HP, "params": {k: v.tolist() for k, v in TL_PARAMS.items()}}, TL_CACHE),
        Case("autodiff zero_grad(None)", "autodiff.zero_grad", "tensors", "reject", {"tensors": None}),
        Case("autodiff a 3,000-node chain", "autodiff.chain", "n", "same", {"n": 3000}, 1.0),
        Case("autodiff a cycle", "autodiff.cycle", "loop", "reject", {"name": "loop"}),
        Case("autodiff mean of an empty tensor", "autodiff.mean", "x", "reject", {"x": np.zeros((0, 3))}),
        Case("autodiff mean over an empty axis", "autodiff.mean", "axis", "reject", {"x": np.zeros((2, 0)), "axis": 1}),
        Case("autodiff mean axis out of range", "autodiff.mean", "axis", "reject", {"x": np.ones((2, 3)), "axis": 5}),
        Case("autodiff mean axis=-1", "autodiff.mean", "axis", "same", {"x": np.ones((2, 3)), "axis": -1},
             np.ones(2)),
        Case("autodiff Tensor @ 1-D ndarray", "autodiff.matmul", "operand", "reject", {"B": np.ones(3)}),
        Case("autodiff an overflowing gradient", "autodiff.steep", "x", "reject", {"x": np.array([1e-200])}),
        Case("autodiff exp overflows", "autodiff.exp", "x", "reject", {"x": np.array([1000.0])}),
        Case("autodiff exp near overflow", "autodiff.exp", "x", "same", {"x": np.array([700.0])},
             np.exp([700.0])),
        Case("autodiff divide by 0", "autodiff.divide", "b", "reject", {"b": np.array([1.0, 0.0])}),
        Case("autodiff divide by negatives", "autodiff.divide", "b", "same", {"b": np.array([-2.0, -4.0])},
             np.array([-0.5, -0.25])),
        Case("autodiff fractional power of a negative", "autodiff.power", "x", "reject",
             {"x": np.array([-1.0, 4.0]), "p": 0.5}),
        Case("autodiff negative power of 0", "autodiff.power", "x", "reject", {"x": np.array([0.0, 2.0]), "p": -1.0}),
        Case("autodiff power p=None", "autodiff.power", "exponent", "reject", {"x": np.array([1.0]), "p": None}),
        Case("autodiff topological_order(None)", "autodiff.topological_order", "root", "reject", {"root": None}),
        Case("autodiff backward grad of the wrong shape", "autodiff.backward", "grad", "reject",
             {"grad": np.ones((2, 3))}),
        Case("autodiff backward grad=None on a (2, 2) root", "autodiff.backward", "grad", "reject", {"grad": None}),
        Case("autodiff your_rules(sigmoid=…)", "autodiff.your_rules", "sigmoid", "reject", {"sigmoid": abs}),
        Case("autodiff your_rules(exp=3)", "autodiff.your_rules", "exp", "reject", {"exp": 3}),
        Case("autodiff Tensor(name=3)", "autodiff.Tensor", "name", "reject", {"value": 1.0, "name": 3}),
        Case("autodiff Tensor('abc')", "autodiff.Tensor", "x", "reject", {"value": "abc", "name": "x"}),
    ]


# --- random inputs --------------------------------------------------------------------------------------


def random_value(rng: np.random.Generator, like):
    """A random value of roughly the same sort as ``like``: arrays of random shape and scale, odd scalars."""
    pick = rng.integers(6)
    if isinstance(like, np.ndarray):
        ndim = like.ndim if rng.random() < 0.7 else int(rng.integers(0, 3))
        shape = tuple(like.shape[i] if i < like.ndim and rng.random() < 0.6 else int(rng.integers(0, 5))
                      for i in range(ndim))
        scale = [1.0, 1e-300, 1e300, 0.0, 1.0, 1e3][pick]
        return rng.normal(size=shape) * scale
    if isinstance(like, (bool, np.bool_)):
        return like
    if isinstance(like, (int, np.integer)):
        return [0, -1, 1, 2, 3, int(like)][pick]
    if isinstance(like, float):
        return [0.0, -1.0, 1e-300, 1e300, 0.5, float(like)][pick]
    return like


def random_cases(n: int, seed: int = 0) -> list[Case]:
    rng = np.random.default_rng(seed)
    names = sorted(FUNCTIONS)
    cases = []
    for i in range(n):
        name = names[i % len(names)]
        _fn, valid, args = FUNCTIONS[name]
        kwargs = dict(valid)
        arg = str(rng.choice(sorted(args)))
        kwargs[arg] = random_value(rng, valid[arg])
        label = f"random {name}({arg})"
        if isinstance(valid[arg], dict):
            key = str(rng.choice(sorted(valid[arg])))
            kwargs[arg] = {**valid[arg], key: random_value(rng, valid[arg][key])}
            label = f"random {name}({arg}=['{key}'])"
        cases.append(Case(label, name, arg, "finite", kwargs))
    return cases
