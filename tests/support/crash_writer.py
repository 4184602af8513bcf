"""A writer for the crash test: commits audited edits to one household in a SQLite file as fast
as it can, and acknowledges each on stdout only after ``commit()`` returned.

    python -m tests.support.crash_writer URL HOUSEHOLD_ID RUN

Every edit sets the household's address to a fresh tag ``r<RUN>-<n>`` and adds a member keyed
by the same tag, in one unit of work. The acknowledgement line is ``ack <version> <tag>``,
flushed at once; ``ready`` is printed once the engine is connected. The test kills this
process with SIGKILL at random moments and checks that every acknowledged edit survived.
"""

from __future__ import annotations

import sys
from itertools import count

from casework.db import get_engine
from casework.models import Household, Member
from casework.uow import UnitOfWork


def edit(url: str, household_id: int, tag: str) -> int:
    """One audited edit; returns the household's new version."""
    with UnitOfWork("system:crash-writer", get_engine(url)) as uow:
        household = uow.get(Household, household_id)
        uow.update(household, expected_version=household.version, address=tag)
        uow.add(Member(household_id=household_id, county_code=household.county_code,
                       member_key=tag, name="测试"))
        uow.commit()
        return household.version


def main(argv: list[str]) -> None:
    url, household_id, run = argv[0], int(argv[1]), argv[2]
    with get_engine(url).connect():
        pass
    print("ready", flush=True)
    for n in count():
        tag = f"r{run}-{n}"
        version = edit(url, household_id, tag)
        print(f"ack {version} {tag}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
