"""The `dondoc` command line. Migrations run here, before any event loop starts."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot import texts
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging
from bot.texts import files as texts_files

log = logging.getLogger("dondoc.cli")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    from telegram.error import InvalidToken, TelegramError

    from bot.runtime.polling import StartupError

    token = cfg.token()  # fail fast, before touching the database
    try:
        return _run(args, cfg, token)
    except StartupError as exc:
        print(str(exc), file=sys.stderr)
    except InvalidToken:  # webhook mode; PTB's message would quote the token
        print(texts.START_BAD_TOKEN, file=sys.stderr)
    except TelegramError as exc:
        print(texts.START_TELEGRAM_ERROR.format(error=_one_line(exc).replace(token, "***")), file=sys.stderr)
    return 1


def _run(args: argparse.Namespace, cfg: Config, token: str) -> int:
    import asyncio

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.runtime import polling

    webhook = args.webhook if args.webhook is not None else cfg.telegram.webhook.enabled
    if webhook:
        try:
            from bot.runtime.webhook import WebhookPlan, run_webhook
        except ImportError:
            print(texts.CLI_WEBHOOK_NO_TORNADO, file=sys.stderr)
            return 2

        plan = WebhookPlan.from_config(cfg)  # no secret or no public URL: one line, before the database
        wh = cfg.telegram.webhook
        if not _upgrade(cfg.db_url()):
            return 1
        _warn_no_admins(cfg)
        health = f"http://{wh.health_listen}:{wh.health_port}/health" if wh.health_port is not None else None
        print(
            texts.CLI_STARTING_WEBHOOK.format(
                db=_redact(cfg.db_url()),
                listen=plan.listen,
                port=plan.port,
                path=plan.url_path,
                url=plan.webhook_url,
                health=health or texts.CLI_HEALTH_OFF,
            ),
            file=sys.stderr,
        )
        run_webhook(build_application(cfg, token=token, health_server=True, webhook=True), plan)
        return 0
    if not _upgrade(cfg.db_url()):
        return 1
    _warn_no_admins(cfg)
    print(texts.CLI_STARTING.format(db=_redact(cfg.db_url())), file=sys.stderr)
    app = build_application(cfg, token=token)
    # Our own poller: an update is confirmed to Telegram only after it was handled (bot/polling.py).
    if asyncio.run(polling.run(app, allowed_updates=ALLOWED_UPDATES, poll_timeout=cfg.telegram.poll_timeout)):
        return 0
    print(texts.START_STOPPED_OFFLINE, file=sys.stderr)
    return 1


def _warn_no_admins(cfg: Config) -> None:
    # Only config.yaml/DONDOC_ADMINS make admins, and without one nobody can grant any role.
    if not cfg.admins:
        print(texts.CLI_NO_ADMINS, file=sys.stderr)


def _upgrade(url: str) -> bool:
    """Migrations; an unreachable or unusable database is one line, with the password hidden."""
    from db.migrate import upgrade

    try:
        upgrade(url)
    except Exception as exc:
        log.debug("migration failed", exc_info=True)
        print(texts.CLI_DB_UNREACHABLE.format(db=_redact(url), error=_one_line(exc)), file=sys.stderr)
        return False
    return True


def cmd_backup(args: argparse.Namespace, cfg: Config) -> int:
    from pathlib import Path

    from bot.cli.backup import BackupError, NotSqliteError, backup_database

    url = cfg.db_url()
    try:
        result = backup_database(url, Path(args.out))
    except NotSqliteError as exc:
        print(texts.CLI_BACKUP_POSTGRES.format(command=exc.command), file=sys.stderr)
        return 1
    except BackupError as exc:
        print(texts.CLI_BACKUP_ERROR.format(error=_one_line(exc)), file=sys.stderr)
        return 1
    print(texts.CLI_BACKUP_WRITTEN.format(db=result.source, out=result.out, size=result.size))
    from bot.runtime.attachment_copies import backup_copies  # units' files kept with attachments.store_copies

    if (copied := backup_copies(cfg.resolved_data_dir, result.out)) is not None:
        print(texts_files.CLI_BACKUP_COPIES.format(n=copied[1], out=copied[0]))
    return 0


def cmd_db(args: argparse.Namespace, cfg: Config) -> int:
    from db.migrate import current, head_revision, upgrade

    url = cfg.db_url()
    try:
        if args.db_command == "upgrade":
            upgrade(url)
            print(texts.CLI_DB_UPGRADED.format(revision=current(url)))
        else:
            print(texts.CLI_DB_CURRENT.format(revision=current(url) or "-", head=head_revision()))
    except Exception as exc:
        print(texts.CLI_DB_ERROR.format(error=_one_line(exc)), file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    from bot.cli.check import run_checks

    return run_checks(cfg, args.config_path, live=args.live)


def cmd_units(args: argparse.Namespace, cfg: Config) -> int:
    from bot.clock import SystemClock
    from bot.services.units_csv import run_units_cli

    return run_units_cli(
        args.units_command,
        cfg.db_url(),
        cfg.units,
        now=SystemClock().now(),
        file=getattr(args, "file", None),
        out=getattr(args, "out", None),
    )


def cmd_parse(args: argparse.Namespace, cfg: Config) -> int:
    from bot.cli.parse import run_parse

    result: int = run_parse(args.file, cfg, as_json=args.json, units=args.units)
    return result


def cmd_summary(args: argparse.Namespace, cfg: Config) -> int:
    from bot.cli.summary import run_summary_cli

    # --dry-run prints the summary; posting it is the running bot's job (exactly once per week).
    return run_summary_cli(cfg, start=None, end=None, text=" ".join(args.period) or None, out=None)


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    from bot.cli.summary import run_summary_cli

    return run_summary_cli(cfg, start=args.date_from, end=args.date_to, text=None, out=args.out)


def cmd_demo(args: argparse.Namespace) -> int:
    import asyncio

    from bot.cli.demo import run_demo

    # The transcript is the output; routine start-up logs would only interleave with it.
    logging.getLogger().setLevel(logging.WARNING)
    return asyncio.run(run_demo(sys.stdout, config_path=args.config_path))


def _one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dondoc", description=texts.CLI_DESCRIPTION)
    parser.add_argument("--config", dest="config_path", default=None, help="config.yaml (or DONDOC_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true")
    # The same options after the subcommand ("dondoc run --config F"); SUPPRESS keeps one given before.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", dest="config_path", default=argparse.SUPPRESS, help="config.yaml (or DONDOC_CONFIG)"
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", parents=[common], help="start the bot (long polling, or webhook: telegram.webhook.enabled)"
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--webhook",
        dest="webhook",
        action="store_const",
        const=True,
        default=None,
        help="receive updates through PTB's webhook server (needs DONDOC_WEBHOOK_SECRET)",
    )
    mode.add_argument(
        "--polling",
        dest="webhook",
        action="store_const",
        const=False,
        help="long polling, even when telegram.webhook.enabled is true",
    )
    run.set_defaults(func=cmd_run)
    sub.add_parser("demo", parents=[common], help="scripted demo against the in-process fake Telegram (no token)")
    db = sub.add_parser("db", parents=[common], help="database migrations")
    db.add_argument("db_command", choices=["upgrade", "current"])
    db.set_defaults(func=cmd_db)
    check = sub.add_parser("check", parents=[common], help="validate configuration and database")
    check.add_argument(
        "--live",
        action="store_true",
        help="also probe the running system: database round-trip, scheduler's last tick, Telegram getMe",
    )
    check.set_defaults(func=cmd_check)
    units = sub.add_parser("units", parents=[common], help="unit directory: import/export CSV, list")
    units.set_defaults(func=cmd_units)
    units_sub = units.add_subparsers(dest="units_command", required=True)
    units_sub.add_parser("import", parents=[common], help="upsert units from a CSV file").add_argument("file")
    units_sub.add_parser("export", parents=[common], help="write the directory as CSV").add_argument(
        "--out", default=None
    )
    units_sub.add_parser("list", parents=[common], help="print the directory")
    parse = sub.add_parser(
        "parse", parents=[common], help="parse a directive file (.docx/.pdf/.txt) and print what was found"
    )
    parse.add_argument("file")
    parse.add_argument("--json", action="store_true", help="print the result as JSON")
    parse.add_argument(
        "--units", metavar="FILE.csv", help="unit directory as CSV (`units export` format); default: the database"
    )
    parse.set_defaults(func=cmd_parse)
    summary = sub.add_parser("summary", parents=[common], help="print the summary of a period (default: this week)")
    summary.add_argument("--dry-run", action="store_true", help="print only (the default; posting is the bot's job)")
    summary.add_argument("period", nargs="*", help='e.g. "tháng 6", "quý 2/2026", "01/06-30/06"')
    summary.set_defaults(func=cmd_summary)
    export = sub.add_parser("export", parents=[common], help="write the summary workbook (.xlsx)")
    export.add_argument("--from", dest="date_from", default=None, help="dd/mm/yyyy or yyyy-mm-dd")
    export.add_argument("--to", dest="date_to", default=None, help="dd/mm/yyyy or yyyy-mm-dd (default: today)")
    export.add_argument("--out", required=True, help="FILE.xlsx")
    export.set_defaults(func=cmd_export)
    backup = sub.add_parser(
        "backup", parents=[common], help="consistent copy of the SQLite database, safe while the bot runs"
    )
    backup.add_argument("--out", required=True, help="FILE (written atomically)")
    backup.set_defaults(func=cmd_backup)
    from bot.cli.baocao import add_parser as add_report_parser

    add_report_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(verbose=args.verbose)
    try:
        return _main(args)
    except BrokenPipeError:
        # "dondoc units list | head": the reader left. Point stdout at /dev/null so the interpreter's
        # final flush does not raise again (the recipe in Python's signal module documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a command cut short by a pipe


def _main(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return cmd_demo(args)
        func: Callable[[argparse.Namespace, Config], int] = args.func
        cfg = load_config(args.config_path)
        return func(args, cfg)
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
