"""Several workers: uvicorn's supervisor, which stops listening before it stops its workers."""

from __future__ import annotations

from uvicorn.supervisors import Multiprocess


class ClosingMultiprocess(Multiprocess):
    """uvicorn's Multiprocess, closing its own copy of the listening socket as soon as it is told to stop.

    The workers share one listening socket. On SIGTERM each worker closes its copy and finishes
    the requests in flight (up to 20 s), but uvicorn's supervisor kept its own copy open until
    every worker had exited: the kernel went on completing handshakes that no worker would
    ever accept, and those clients hung until their own timeout. Closed first, the socket is
    gone once the workers close theirs, and a new connection is refused at once (uvicorn#2010
    proposed this in 2023 and was closed unmerged).
    """

    def terminate_all(self) -> None:
        for listener in self.sockets:
            listener.close()
        super().terminate_all()
