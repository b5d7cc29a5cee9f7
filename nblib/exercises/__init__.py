"""Exercise checks. The generic machinery is :mod:`nblib.exercises.feedback`; each lesson's
checks live in a module of their own (``nblib.exercises.sigmoid`` for lesson 01, …)."""

from nblib.exercises.feedback import CheckFailed, check_function, compare_array, compare_dict, passed

__all__ = ["CheckFailed", "check_function", "compare_array", "compare_dict", "passed"]
