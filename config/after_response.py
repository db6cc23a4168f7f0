"""Work that runs after the response has gone to the client (when the server closes it),
so how long it takes, or whether it runs at all, cannot show in the response's timing."""

import logging

logger = logging.getLogger(__name__)


def run_after_response(response, work) -> None:
    """Call `work()` once the server has sent `response` (WSGI servers and Django's test
    client call close() then). A failure is logged: the client already has its answer."""
    close = response.close

    def close_then_work():
        close()
        try:
            work()
        except Exception:
            logger.exception("Work after the response failed")

    response.close = close_then_work
