"""Who lives in a household: relation to the head, sex, age and name, for households of one to eight
people — old people alone or in couples, young families (with the head's parents), and three
generations with left-behind grandchildren. Children take their father's surname."""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker
from faker.providers.person.zh_CN import Provider as ZhPerson

from . import rates as R
from .draw import Draw, Table

__all__ = ["Person", "Names", "compose"]

# Details of household make-up (assumptions, like those in rates.py)
BOYS = 0.52  # sex ratio at birth about 108 (T-BZ-18 caps it at 110)
FATHER_ALONE = 0.4  # a lone surviving parent of the head is the father
_PARENTS_TWO_SLOTS = Table(((0, 0.8), (1, 0.2)))
_PARENTS_MORE_SLOTS = Table(((0, 0.6), (1, 0.25), (2, 0.15)))


@dataclass(slots=True)
class Person:
    relation: str
    sex: str
    age: int
    name: str


class Names:
    """Chinese names from Faker's ``zh_CN`` person data (surnames weighted by frequency as Faker
    weights them), drawn with the Faker instance's own seeded random source. Drawing from the
    data directly is ten times faster than ``fake.last_name()`` and gives the same kind of name."""

    def __init__(self, fake: Faker) -> None:
        self._random = fake.random
        self._surnames = Table(ZhPerson.last_names.items())
        self._given = {"M": tuple(ZhPerson.first_names_male),
                       "F": tuple(ZhPerson.first_names_female)}

    def surname(self) -> str:
        return self._surnames.pick(self._random)

    def given(self, sex: str) -> str:
        names = self._given[sex]
        return names[int(self._random.random() * len(names))]

    def full(self) -> str:
        return self.surname() + self.given("M" if self._random.random() < 0.5 else "F")


class _Builder:
    def __init__(self, draw: Draw, names: Names) -> None:
        self.draw, self.names = draw, names
        self.people: list[Person] = []

    def add(self, relation: str, sex: str, age: int, surname: str | None = None) -> str:
        surname = surname or self.names.surname()
        age = max(0, min(age, 99))
        self.people.append(Person(relation, sex, age, surname + self.names.given(sex)))
        return surname

    def children(self, relation: str, count: int, mother_age: int, surname: str | None) -> None:
        """``count`` children of a mother aged ``mother_age``, born 2–6 years apart, the eldest
        when she was 20–28 (older if needed so the youngest is born, never before she was 19)."""
        surname = surname or self.names.surname()  # siblings share one surname
        gaps = [self.draw.between(2, 6) for _ in range(count - 1)]
        eldest = mother_age - self.draw.between(20, 28)
        eldest = max(eldest, min(sum(gaps), mother_age - 19))
        for gap in [*gaps, 0]:
            self.add(relation, self.sex(), max(eldest, 0), surname)
            eldest -= gap

    def sex(self) -> str:
        return "M" if self.draw.chance(BOYS) else "F"


def compose(draw: Draw, names: Names, size: int) -> list[Person]:
    """The people of a household of ``size``; the head first."""
    b = _Builder(draw, names)
    if size == 1:
        _alone(b)
    elif size == 2:
        _pair(b)
    elif draw.chance(R.NUCLEAR):
        _nuclear(b, size)
    else:
        _three_generations(b, size)
    return b.people


def _alone(b: _Builder) -> None:
    if b.draw.chance(R.SINGLE_ELDER):
        b.add("head", b.sex(), b.draw.between(60, 90))
    else:
        b.add("head", "M" if b.draw.chance(0.7) else "F", b.draw.between(30, 59))


def _pair(b: _Builder) -> None:
    d = b.draw
    r = d.rng.random()
    if r < R.ELDER_COUPLE:
        age = d.between(58, 86)
        b.add("head", "M", age)
        b.add("spouse", "F", max(50, age - d.between(-2, 6)))
    elif r < R.ELDER_COUPLE + R.SINGLE_PARENT:
        sex = "M" if d.chance(0.6) else "F"
        age = d.between(30, 55)
        surname = b.add("head", sex, age)
        b.children("child", 1, age, surname if sex == "M" else None)
    else:
        sex = b.sex()
        surname = b.add("head", sex, d.between(55, 78))
        b.add("grandchild", b.sex(), d.between(3, 15), surname if sex == "M" else None)


def _nuclear(b: _Builder, size: int) -> None:
    d = b.draw
    married = d.chance(R.SPOUSE_PRESENT)
    head_sex = "M" if married or d.chance(0.7) else "F"
    age = d.between(*R.NUCLEAR_HEAD_AGE)
    surname = b.add("head", head_sex, age)
    mother_age = age
    if married:
        mother_age = max(20, age - d.between(-2, 5))
        b.add("spouse", "F", mother_age)
    slots = size - len(b.people)
    parents = 0
    if slots >= 2:
        parents = (_PARENTS_TWO_SLOTS if slots == 2 else _PARENTS_MORE_SLOTS).pick(d.rng)
    b.children("child", slots - parents, mother_age, surname if head_sex == "M" else None)
    if parents:
        father_age = age + d.between(22, 34)
        father = parents == 2 or d.chance(FATHER_ALONE)
        b.add("parent", "M" if father else "F", father_age,
              surname if father and head_sex == "M" else None)
        if parents == 2:
            b.add("parent", "F", father_age - d.between(0, 5))


def _three_generations(b: _Builder, size: int) -> None:
    d = b.draw
    head_sex = "M" if d.chance(0.85) else "F"
    age = d.between(50, 72)
    surname = b.add("head", head_sex, age)
    if head_sex == "M" and d.chance(0.85):
        b.add("spouse", "F", age - d.between(-2, 5))
    rest = size - len(b.people)
    son = d.chance(0.75)
    adult_age = max(18, age - d.between(22, 32))
    line = b.add("child", "M" if son else "F", adult_age, surname if head_sex == "M" else None)
    rest -= 1
    mother_age = adult_age if not son else adult_age - 2
    if rest >= 2 and adult_age >= 22 and d.chance(0.7):
        in_law_age = max(18, adult_age - d.between(-3, 3))
        in_law = b.add("other", "F" if son else "M", in_law_age)  # 儿媳 / 女婿
        mother_age = in_law_age if son else adult_age
        line = line if son else in_law
        rest -= 1
    grandchildren = min(rest, 3)
    b.children("grandchild", grandchildren, mother_age, line)
    if rest > grandchildren:
        b.children("child", rest - grandchildren, age - 2, surname if head_sex == "M" else None)
