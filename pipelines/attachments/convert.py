"""DOC, WPS, RTF, ODT → DOCX with LibreOffice in headless mode, then read as DOCX.

The old binary Word formats are read by the one free program that reads them well; no home-made
parser. Each conversion gets a profile directory of its own (two soffice processes sharing one
block each other) and its own process group, so a conversion past the deadline is killed whole
(soffice starts soffice.bin as a child).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from pipelines.attachments.model import AttachmentError, Deadline

PROGRAMS = ("soffice", "libreoffice")
SUFFIX = {"doc": ".doc", "wps": ".wps", "rtf": ".rtf", "odt": ".odt", "ole": ".doc"}


def soffice() -> str | None:
    for name in PROGRAMS:
        path = shutil.which(name)
        if path:
            return path
    return None


def version() -> str:
    return "libreoffice"


def to_docx(body: bytes, kind: str, deadline: Deadline) -> bytes:
    program = soffice()
    if program is None:
        raise AttachmentError("needs_libreoffice", f"{kind.upper()} needs LibreOffice: "
                              "apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"in{SUFFIX.get(kind, '.bin')}"
        source.write_bytes(body)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(work / "out"), str(source)]
        left = deadline.left()
        if left <= 0:
            deadline.check("LibreOffice")
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   env=dict(os.environ, HOME=tmp))
        try:
            output, _ = process.communicate(timeout=left)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise AttachmentError("timeout", f"LibreOffice still converting after {deadline.seconds:g} s; killed") from None
        finally:
            _kill(process)
        result = work / "out" / "in.docx"
        if not result.exists():
            said = output.decode("utf-8", "replace").strip().splitlines()
            raise AttachmentError("corrupt", f"LibreOffice could not convert this {kind.upper()}"
                                  + (f": {said[-1][:200]}" if said else f" (exit {process.returncode})"))
        return result.read_bytes()


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
