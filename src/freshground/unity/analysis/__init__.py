"""Pol.is-grade consensus discovery: pure numpy/scipy/scikit-learn, no database access (see docs/unity-math.md).

    analysis = analyse(votes, settings=Settings(), previous=None, circles=None)

The public surface is `analyse` and the types in `unity.analysis.types`.
"""
