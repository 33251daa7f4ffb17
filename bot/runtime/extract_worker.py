"""Read an uploaded document in a child process, under a wall-time and a memory limit.

A crafted .docx or PDF can take minutes and gigabytes to parse; in the bot's own process that
freezes every chat, or gets the bot killed. Here each upload starts `python -m bot.runtime.extract_worker`
(about 0.2 s; nothing is kept warm, so start-up pays nothing), which caps its own address space
(RLIMIT_AS) before reading anything, and is killed when the time limit passes. The event loop only
waits on a pipe.

Protocol: the parent writes one JSON header line ({"name", "mime", "limits"}), then the file's bytes,
and closes stdin. The child writes one JSON object: {"text": ...} or {"error": kind, "values": {...}}.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass
from typing import get_args

from bot.domain.extract import ErrorKind, ExtractError, Limits, extract_text

log = logging.getLogger("dondoc.extract")

_MB = 1024 * 1024


@dataclass(frozen=True)
class Sandbox:
    timeout_s: float = 10.0
    memory_bytes: int = 768 * _MB


async def extract_isolated(data: bytes, filename: str, mime_type: str | None, limits: Limits, sandbox: Sandbox) -> str:
    """The document's text, read by a child process. Raises ExtractError (too_slow, out_of_memory too)."""
    started = time.perf_counter()
    header = json.dumps({"name": filename, "mime": mime_type, "limits": asdict(limits), "memory": sandbox.memory_bytes})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.runtime.extract_worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(header.encode() + b"\n" + data), sandbox.timeout_s)
    except TimeoutError:
        _kill(proc)
        await proc.wait()
        log.warning("event=extract_refused reason=too_slow name=%r bytes=%d", filename, len(data))
        raise ExtractError("too_slow", limit=round(sandbox.timeout_s)) from None
    finally:
        if proc.returncode is None:  # cancelled: never leave the child behind
            _kill(proc)
            with contextlib.suppress(ProcessLookupError):
                await proc.wait()
    ms = round((time.perf_counter() - started) * 1000)
    try:
        answer = json.loads(out)
    except ValueError:
        # No answer: killed by a signal or aborted, almost always an allocation the limit refused.
        log.warning("event=extract_refused reason=crashed rc=%s name=%r ms=%d", proc.returncode, filename, ms)
        raise ExtractError("out_of_memory", f"rc={proc.returncode}", limit=sandbox.memory_bytes // _MB) from None
    if "text" in answer:
        log.info("event=extract_ok name=%r bytes=%d chars=%d ms=%d", filename, len(data), len(answer["text"]), ms)
        return str(answer["text"])
    error = answer.get("error")
    kind: ErrorKind = error if error in get_args(ErrorKind) else "corrupt"
    values = answer.get("values", {})
    if kind == "out_of_memory":
        values = {"limit": sandbox.memory_bytes // _MB}
    detail = answer.get("detail", "")
    log.warning(
        "event=extract_refused reason=%s detail=%r name=%r bytes=%d ms=%d", kind, detail, filename, len(data), ms
    )
    raise ExtractError(kind, detail, **values)


def _kill(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def main() -> int:
    """The child: limit itself, read the request from stdin, answer on stdout."""
    raw = sys.stdin.buffer.read()
    head, _, data = raw.partition(b"\n")
    request = json.loads(head)
    memory = int(request["memory"])
    # Only the address space: the child's own imports already ran, and the input is already read.
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        text = extract_text(data, request["name"], request["mime"], limits=Limits(**request["limits"]))
        answer: dict[str, object] = {"text": text}
    except ExtractError as exc:
        answer = {"error": exc.kind, "detail": exc.detail, "values": exc.values}
    except MemoryError:
        answer = {"error": "out_of_memory"}
    # ASCII escapes: a lone surrogate in the text cannot break the pipe's encoding.
    sys.stdout.buffer.write(json.dumps(answer).encode())
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
