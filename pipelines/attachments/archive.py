"""ZIP bundles: each member read as an attachment of its own, within bounds a zip bomb cannot pass.

Bounds come before any byte is unpacked, from the sizes the archive declares (member count, sum of
uncompressed sizes, ratio), and again while unpacking (a member that gives more than it declared is
cut at its declared size by zipfile, which then fails its CRC check).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from pipelines.attachments.model import AttachmentError, Deadline, Limits
from pipelines.tables import Table


def member_name(info: zipfile.ZipInfo) -> str:
    """Names in ZIPs made on Chinese Windows are GBK without the UTF-8 flag; zipfile read them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_zip(body: bytes, limits: Limits, deadline: Deadline, result, depth: int, extract) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise AttachmentError("corrupt", f"ZIP: {exc}") from None
    if depth >= limits.zip_depth:
        raise AttachmentError("unsupported", f"a ZIP inside a ZIP {depth} deep")
    if len(infos) > limits.zip_max_members:
        raise AttachmentError("zip_bomb", f"{len(infos)} members (limit {limits.zip_max_members})")
    total = sum(i.file_size for i in infos)
    if total > limits.zip_max_bytes:
        raise AttachmentError("zip_bomb", f"members unpack to {total} bytes (limit {limits.zip_max_bytes})")
    result.extractor = "zipfile"
    texts: list[str] = []
    tables: list[Table] = []
    for info in infos:
        deadline.check(f"member {member_name(info)}")
        if info.flag_bits & 0x1:
            raise AttachmentError("encrypted", f"ZIP member {member_name(info)} is encrypted")
        try:
            with archive.open(info) as member:
                data = member.read(min(limits.max_bytes, limits.zip_max_bytes) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise AttachmentError("corrupt", f"ZIP member {member_name(info)}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - zlib.error on a broken deflate stream
            raise AttachmentError("corrupt", f"ZIP member {member_name(info)}: {type(exc).__name__}: {exc}") from None
        left = replace(limits, seconds=max(deadline.left(), 0.001))
        inner = extract(data, name=member_name(info), limits=left, _depth=depth + 1)
        result.members.append(inner)
        if inner.text:
            texts.append(inner.text)
        tables.extend(inner.tables)
        result.ocr += inner.ocr
    result.text = "\n".join(texts)
    result.tables = tables
    result.pages = sum(m.pages or 0 for m in result.members) or None
    failed = [m for m in result.members if m.error]
    if failed:
        worst = failed[0]
        raise AttachmentError(worst.kind or "corrupt",
                              f"{len(failed)} of {len(infos)} members failed; {worst.name}: {worst.message}")
