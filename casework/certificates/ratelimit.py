"""An in-process sliding-window rate limit (per client address).

Kept in the memory of one server process: with several processes each counts separately, and
a restart forgets. That is enough to make guessing check codes slow (40 bits at 20 tries a
minute); a deployment behind a proxy must pass the real client address (uvicorn's
``--forwarded-allow-ips``), or every client shares the proxy's allowance.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_s: float = 60.0, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.max_clients = limit, window_s, max_clients
        self._clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count a request by ``client``; False when it made ``limit`` within the window."""
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(client, None) or deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            self._hits[client] = hits  # most recently seen last
            while len(self._hits) > self.max_clients:
                self._hits.popitem(last=False)
            return allowed

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again (at least 1)."""
        with self._lock:
            hits = self._hits.get(client)
            if not hits:
                return 1
            return max(1, int(hits[0] + self.window_s - self._clock()) + 1)
