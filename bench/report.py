"""The results as Markdown, written between two markers of a document so
that the hand-written parts around them (how to run, findings) stay."""

from __future__ import annotations

from pathlib import Path

START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def _fmt(value, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        text = f"{value:,.1f}" if value >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
        return text + suffix
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value}{suffix}"


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(report: dict) -> str:
    m, c = report["machine"], report["corpus"]
    out: list[str] = []
    out.append(f"## Results ({report['mode']} run, {m['date']})")
    out.append("")
    out.append(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, Linux {m['kernel']}; "
        f"PostgreSQL {m['postgresql']} (shared_buffers {m['postgresql_shared_buffers']}), "
        f"Redis {m['redis']}, Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}, "
        f"{m['wrk']}. Load average at start {' '.join(m['loadavg_start'])}, at end "
        f"{' '.join(m.get('loadavg_end', []))}; the whole run took {m.get('total_minutes')} min."
        + (
            f" Before the runs, {m['prewarmed']['mb']:,} MB of tables and indexes were read into the OS cache "
            f"in {m['prewarmed']['seconds']} s (pg_prewarm, read mode)."
            if m.get("prewarmed")
            else " The database's files were not read ahead into the OS cache."
        )
    )
    out.append("")
    out.append(
        f"Corpus: {int(c['size']):,} published items (seed {c['seed']}), {c['units']} units, {c['tags']} tags, "
        f"built in {_fmt(c.get('build_seconds'))} s; database {c.get('database_size')}. "
        f"Common search word “{c['common_term']}” matches {_fmt(c.get('common_term_df'))} items, "
        f"rare word “{c['rare_term']}” {_fmt(c.get('rare_term_df'))}. "
        f"The unit pages show the unit with the longest list ({_fmt(c.get('unit_pages'))} pages); "
        f"the deep page is page {c.get('deep_page')}."
    )
    out.append("")
    server = report["server"]
    threads = f" × {server['threads']} threads" if server.get("threads") else ""
    out.append(
        f"Web server: gunicorn, {server.get('workers')} {server.get('worker_class')} workers{threads}."
    )
    if report.get("calibration"):
        out.append("")
        out.append("Worker configurations tried (home page and news detail, warm, 16 connections, 5 s each):")
        out.append("")
        out += _table(
            ["class", "workers", "threads", "req/s"],
            [
                [r["worker_class"], str(r["workers"]), str(r["threads"]), _fmt(r["rps"])]
                for r in report["calibration"]
            ],
        )
    check = report.get("search_vector_check") or {}
    out.append("")
    if check.get("identical"):
        verdict = f"yes ({check['checked']} checked)"
    elif check.get("identical") is None:
        verdict = f"not checked ({check.get('error', 'no items')})"
    else:
        verdict = f"**no** (items {check.get('mismatches')})"
    out.append(f"Search vectors of the bulk load equal the app's own for the sampled items: {verdict}.")

    out += ["", "### Targets", ""]
    out += _table(
        ["Target", "Measured", "Result"],
        [
            [t["target"], t["measured"], {True: "pass", False: "**FAIL**", None: "n/a"}[t["pass"]]]
            for t in report["targets"]
        ],
    )

    pages = [p for p in report["pages"]]
    out += ["", "### Warm cache (canonical request after a warm-up)", ""]
    rows = []
    for page in pages:
        if not page["available"]:
            rows.append([page["label"], "not available", *["–"] * 6])
            continue
        for run in page["runs"]:
            if run["cache"] != "warm" or run.get("repeat"):
                continue
            rows.append(
                [
                    page["label"],
                    str(run["concurrency"]),
                    _fmt(run["rps"]),
                    _ratio(run.get("ratio")),
                    _fmt(run["p50_ms"]),
                    _fmt(run["p95_ms"]),
                    _fmt(run["p99_ms"]),
                    str(run["errors"]),
                ]
            )
    out += _table(["Page", "Conns", "req/s", "× bare", "p50 ms", "p95 ms", "p99 ms", "Errors"], rows)

    out += ["", "### Cold cache (cache cleared, cycling through distinct requests)", ""]
    rows = []
    for page in pages:
        for run in page["runs"]:
            if run["cache"] != "cold":
                continue
            rows.append(
                [
                    page["label"],
                    str(run["concurrency"]),
                    str(run["variants"]),
                    _fmt(run["first_ms"]),
                    _fmt(run["rps"]),
                    _ratio(run.get("ratio")),
                    _fmt(run["p50_ms"]),
                    _fmt(run["p95_ms"]),
                    _fmt(run["p99_ms"]),
                    str(run["errors"]),
                ]
            )
    out += _table(
        ["Page", "Conns", "Distinct", "First ms", "req/s", "× bare", "p50 ms", "p95 ms", "p99 ms", "Errors"],
        rows,
    )

    out += ["", "### Queries per request and response", ""]
    rows = []
    for page in pages:
        q = page.get("queries")
        if not q:
            continue
        rows.append(
            [
                page["label"],
                f"`{page['path']}`",
                str(q["status"]),
                str(q["cold"]),
                str(q["warm"]),
                ", ".join(str(v) for v in q["variants"]),
                _fmt(q.get("in_process_ms")),
                _fmt(q.get("sql_ms")),
                _fmt(q["bytes"]),
                q["cache_control"] or "–",
                "not measured" if "set_cookie" not in q else ", ".join(q["set_cookie"]) or "none",
                "not measured" if "vary" not in q else q["vary"] or "–",
            ]
        )
    out.append(
        "Queries counted in-process: cold (cache cleared), warm, and cold for three other requests of the "
        "same kind. “Server ms” is a warm request handled in-process (no HTTP, no concurrency), "
        "“SQL ms” the part of it spent in the database."
    )
    out.append("")
    out += _table(
        [
            "Page",
            "Path",
            "Status",
            "Cold",
            "Warm",
            "Variants",
            "Server ms",
            "SQL ms",
            "Bytes",
            "Cache-Control",
            "Sets cookie",
            "Vary",
        ],
        rows,
    )

    mem = report["memory"]
    pub = report.get("publish") or {}
    out += ["", "### Memory and publishing", ""]
    out.append(
        f"- Peak resident memory (VmHWM) of a gunicorn worker: {_fmt(mem.get('web_worker_peak_mb'), ' MB')} "
        f"(all workers: {', '.join(_fmt(v) for v in mem['web']['workers'])} MB; master "
        f"{_fmt(mem['web']['master_peak_mb'], ' MB')})."
    )
    if pub:
        out.append(
            f"- Celery worker (largest of the main process and its pool): {_fmt(pub.get('celery_worker_peak_mb'), ' MB')} "
            f"(processes: {', '.join(_fmt(v) for v in pub.get('celery_processes_mb', []))} MB)."
        )
        out.append(
            f"- Publish lag: {pub['items']} items approved through `news_approve` for {pub['scheduled_for']} "
            f"(approvals finished before that: {'yes' if pub['approvals_done_before'] else 'no'}); "
            f"{pub['published']} published; lag p50 {_fmt(pub['lag_p50_s'], ' s')}, p99 {_fmt(pub['lag_p99_s'], ' s')}, "
            f"max {_fmt(pub['lag_max_s'], ' s')}; all within 60 s: {'yes' if pub['all_within_60s'] else 'no'}. "
            f"The home page showed them {_fmt(pub.get('home_shows_new_after_s'), ' s')} after the scheduled time."
        )
        unpublish = pub.get("unpublish") or {}
        out.append(
            f"- Unpublishing one of them through `news_unpublish`: the origin stopped serving it (404, gone "
            f"from the home page) after {_fmt(unpublish.get('origin_gone_after_s'), ' s')}."
        )
    return "\n".join(out) + "\n"


TEMPLATE = f"""# Benchmarks

{START}
{END}
"""


def write(path: Path, report: dict) -> None:
    text = path.read_text() if path.exists() else TEMPLATE
    if START not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + START + "\n" + END + "\n"
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(head + START + "\n" + render(report) + END + tail)
