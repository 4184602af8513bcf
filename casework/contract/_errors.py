"""The one error the contract raises: where (a JSON path), why (English), and a Chinese sentence."""

from __future__ import annotations

from typing import NoReturn

from casework.contract._labels import subject_zh

__all__ = ["ContractError", "fail"]


class ContractError(ValueError):
    """Invalid household JSON. ``str(err)`` is ``"{path}: {reason}"`` (the machine contract,
    e.g. ``members[1].id_number: check digit is 3, expected X``); ``message_zh`` names the field
    for people (``第2位成员的身份证号码校验位为3，应为X，请核对号码``)."""

    def __init__(self, path: str, reason: str, message_zh: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.message_zh = message_zh

    def __reduce__(self) -> tuple[type[ContractError], tuple[str, str, str]]:
        return (type(self), (self.path, self.reason, self.message_zh))


def fail(path: str, reason: str, problem_zh: str) -> NoReturn:
    """Raise for the field at ``path``; ``problem_zh`` completes the field's Chinese name
    (``fail("exit_year", "must be an integer", "应为整数")`` -> ``脱贫年度应为整数``)."""
    raise ContractError(path, reason, subject_zh(path) + problem_zh)
