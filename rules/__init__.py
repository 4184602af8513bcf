"""The rules engine: policy packs as data, decisions with reasons and citations (see
``rules/README.md``). Pure: imports nothing of the project. Entry points::

    from rules.pack import load_pack
    from rules.engine import evaluate, evaluate_columns
    from rules.output import result_json

Submodules are not imported here, so ``import rules.snapshot`` stays light.
"""

__all__ = ["snapshot", "pack", "engine", "output", "params", "decision", "assessment"]
