"""Interactive explorers, one module per lesson (``nblib.widgets.sigmoid`` for lesson 01, …).

Each explorer separates a plain *update* function (numbers in, numbers/figure out),
which tests call without a browser, from the ipywidgets wiring around it.
"""
