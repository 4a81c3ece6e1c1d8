"""HTTP load with wrk, from a separate process.

A small Lua script makes wrk cycle through a list of paths (so a "cold" run
can ask for many distinct pages), count every non-2xx answer and print one
JSON line of results: requests, duration, latency percentiles and errors.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

WRK_SCRIPT = r"""
local threads = {}
local paths = {}

function setup(thread)
  thread:set("offset", #threads * 7919)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  counter = offset or 0
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, bad,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


class WrkMissing(RuntimeError):
    pass


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise WrkMissing(
            "wrk is not installed: the benchmark loads the site with wrk "
            "(Debian/Ubuntu: apt-get install wrk)."
        )
    return path


def wrk_version() -> str:
    done = subprocess.run([wrk_path(), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0].strip()


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    non2xx: int
    socket_errors: int
    timeouts: int

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors + self.timeouts

    def as_dict(self) -> dict:
        return {**asdict(self), "errors": self.errors}


def run_wrk(
    *, base_url: str, paths: list[str], concurrency: int, seconds: float, timeout_s: int = 10
) -> LoadResult:
    """Load ``paths`` (cycled) with ``concurrency`` open connections.

    One wrk thread: it keeps thousands of requests a second in flight from a
    single core and leaves the other cores to the server under test.
    """
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(WRK_SCRIPT)
        path_file = Path(tmp) / "paths.txt"
        path_file.write_text("\n".join(paths) + "\n")
        argv = [
            wrk_path(),
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",
            f"--timeout={timeout_s}s",
            "-s",
            str(script),
            base_url,
            "--",
            str(path_file),
        ]
        done = subprocess.run(  # noqa: S603 - wrk with our own arguments
            argv, capture_output=True, text=True, check=False, timeout=seconds + timeout_s + 30
        )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    duration = data["duration_us"] / 1e6
    return LoadResult(
        concurrency=concurrency,
        seconds=round(duration, 2),
        requests=data["requests"],
        rps=round(data["requests"] / duration, 1) if duration else 0.0,
        p50_ms=round(data["p50_us"] / 1000, 2),
        p90_ms=round(data["p90_us"] / 1000, 2),
        p95_ms=round(data["p95_us"] / 1000, 2),
        p99_ms=round(data["p99_us"] / 1000, 2),
        max_ms=round(data["max_us"] / 1000, 2),
        mean_ms=round(data["mean_us"] / 1000, 2),
        non2xx=data["non2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"],
        timeouts=data["timeout"],
    )
