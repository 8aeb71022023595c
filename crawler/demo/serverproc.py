"""A loopback server run as a subprocess that prints ``READY <port>``: the shape every test server shares."""
from __future__ import annotations

import subprocess


class ServerProcess:
    name = "server"

    def __init__(self, port: int = 0):
        self.requested = port
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None

    def command(self) -> list[str]:
        "The server's command line, with ``self.requested`` as its --port."
        raise NotImplementedError

    def __enter__(self):
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"{self.name} did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()
