"""Time the monitoring dashboard on a large office in a database of its own
(see ``monitoring.benchmark`` and docs/benchmarks-dashboard.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monitoring import benchmark


class Command(BaseCommand):
    help = (
        "Build an office of 50 units and 100,000 news items in a separate database and time the "
        "monitoring dashboard, leaderboard, weekly email and yearly export on it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--small", action="store_true", help="A few thousand items: checks the chain quickly."
        )
        parser.add_argument("--units", type=int, help="Units of the measured office (default 50).")
        parser.add_argument("--items", type=int, help="News items of the measured office (default 100,000).")
        parser.add_argument(
            "--other-items", type=int, help="News items of the other office (default 50,000)."
        )
        parser.add_argument("--runs", type=int, help="Timed runs after the cold one (default 7).")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--database",
            default="humas_bench_dashboard",
            help="Name of the database to create on the server of DATABASE_URL (dropped afterwards).",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark database afterwards.")
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks-dashboard.md"),
            help="Markdown file whose results section is rewritten; '-' prints it only.",
        )

    def handle(self, *args, **options):
        size = benchmark.SMALL if options["small"] else benchmark.Size()
        overrides = {
            key: options[option]
            for key, option in (
                ("units", "units"),
                ("items", "items"),
                ("other_items", "other_items"),
                ("runs", "runs"),
            )
            if options[option] is not None
        }
        size = replace(size, **overrides)
        if size.units < 1 or size.items < 0 or size.runs < 1:
            raise CommandError("--units and --runs must be at least 1, --items at least 0.")
        output = None if options["output"] == "-" else Path(options["output"])
        try:
            section, timings = benchmark.run(
                size=size,
                database=options["database"],
                output=output,
                keep=options["keep"],
                seed=options["seed"],
                small=options["small"],
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(section)
        if output is not None:
            self.stdout.write(self.style.SUCCESS(f"Written to {output}"))
