"""Queue workers that wait out an outage of their store instead of exiting.

`durable_db_worker` and `durable_rqworker` run the libraries' own workers; when PostgreSQL or
Redis goes away under them they log one line per retry, back off (1 s doubling to 30 s),
and carry on with the waiting work once it answers again.
"""

import logging
import time
from collections.abc import Callable

import redis
from rq import Worker

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = 1
MAX_RETRY_DELAY = 30
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def retry_until(
    probe: Callable[[], object],
    *,
    failure: str,
    errors: tuple[type[BaseException], ...],
) -> None:
    """Call `probe` until it raises none of `errors`, logging each wait and backing off."""
    delay = FIRST_RETRY_DELAY
    while True:
        logger.warning("%s; next try in %d s", failure, delay)
        time.sleep(delay)
        try:
            probe()
        except errors as exc:
            failure = f"Still failing: {one_line(exc)}"
            delay = min(delay * 2, MAX_RETRY_DELAY)
        else:
            logger.info("Reconnected; resuming work")
            return


class DurableWorker(Worker):
    """rq's worker, started again when Redis fails under its loop (rq would quit), with a
    scheduler that is restarted as soon as Redis is back."""

    # rq's own wait for Redis while it listens for jobs: the same cap as ours.
    max_connection_wait_time = MAX_RETRY_DELAY
    stopping = False  # asked to stop (a signal), as opposed to quitting on an error

    def work(self, **options) -> bool:
        bounded = options.get("burst") or options.get("max_jobs") or options.get("max_idle_time")
        while True:
            try:
                worked = super().work(**options)
            except REDIS_DOWN as exc:
                failure = f"Worker {self.name} lost Redis: {one_line(exc)}"
            else:
                if bounded or self.stopping:
                    return worked
                # rq quits its loop on any error it does not expect (and logs it).
                failure = f"Worker {self.name} stopped on an error"
            retry_until(self._reconnect, failure=failure, errors=REDIS_DOWN)

    def handle_warm_shutdown_request(self) -> None:
        self.stopping = True
        super().handle_warm_shutdown_request()

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:
        super().heartbeat(timeout, pipeline)
        if pipeline is not None or self.is_horse or self.stopping:
            return
        process = self.scheduler and self.scheduler._process
        if process and not process.is_alive():
            # A Redis outage kills the scheduler process, and rq restarts it only in its
            # ten-minute maintenance: queued refreshes that wait (debounce, retries) would too.
            logger.info("Restarting the scheduler of worker %s", self.name)
            self.scheduler.acquire_locks(auto_start=True)

    def _reconnect(self) -> None:
        """Finish the teardown that Redis failed, so the worker can register again."""
        self.connection.ping()
        if self.scheduler:
            self.scheduler.release_locks()
        self.register_death()
        if self.pubsub_thread and self.pubsub_thread.is_alive():
            self.unsubscribe()
