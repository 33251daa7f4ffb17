"""The báo cáo kết quả thực hiện as a Word document, in the format of the directive's system:
Party documents after Hướng dẫn 36-HD/VPTW, government ones after Nghị định 30/2020/NĐ-CP.

Both: A4, margins 20/20/30/15 mm (top, bottom, left, right; the low ends of both standards'
ranges), Times New Roman, body 14 pt. The header blocks, title and the "Nơi nhận" and signature
block follow each standard's sizes and styles. Every sentence is a phrase of bot/texts_baocao.py
filled with the model's data; nothing is made up, and what is missing says so.
"""

from __future__ import annotations

from datetime import date

from bot.domain.baocao import Baocao, DutyResult, Family, UnitResult, UnitState
from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole
from bot.domain.vndates import format_date
from bot.refs import short_title
from bot.settings_files import BaocaoSettings
from bot.texts import baocao as T
from bot.views.categories import LABELS
from bot.views.docx import Flow, Line

_QUOTE_CHARS = 300
_DUTY_CHARS = 600
_ANNEX_WIDTHS = (1.0, 2.0, 4.4, 3.8, 2.3, 3.0)  # cm, 16.5 in all: the text width


def _lower_first(text: str) -> str:
    """ "Tăng cường …" -> "tăng cường …" inside a sentence; "UBND …" keeps its capitals."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def subject(model: Baocao) -> str:
    d = model.directive
    kind = (d.kind or T.KIND_FALLBACK).strip()
    title = " ".join(d.title.split())
    about = ""
    if title:
        own = title.lower().startswith(("về ", "v/v"))
        about = (T.SUBJECT_ABOUT if own else T.SUBJECT_ABOUT_PLAIN).format(title=_lower_first(title))
    return T.SUBJECT.format(
        kind=kind[:1].upper() + kind[1:],
        number=T.SUBJECT_NUMBER.format(number=d.number) if d.number else "",
        date=T.SUBJECT_DATE.format(date=format_date(d.issued_on)) if d.issued_on else "",
        issuer=T.SUBJECT_ISSUER.format(issuer=d.issuer) if d.issuer else "",
        about=about,
    )


def quoted(text: str) -> str:
    """A unit's words, shortened, without the final stop (the template closes the sentence)."""
    return short_title(text, _QUOTE_CHARS).rstrip(" .;,")


def status_words(u: UnitResult) -> str:
    words = T.STATUS[u.state.value]
    if u.state == UnitState.IN_PROGRESS and u.percent is not None:
        words += T.STATUS_PERCENT.format(percent=u.percent)
    if u.blocked and u.state != UnitState.DONE:
        words += T.STATUS_BLOCKED
    return words


def _role(u: UnitResult) -> str:
    return T.ROLE_LEAD if u.role == AssignmentRole.LEAD else T.ROLE_SUPPORT


def unit_line(u: UnitResult, ongoing: bool) -> str:
    quote = T.UNIT_QUOTE.format(text=quoted(u.quote)) if u.quote else ""
    if ongoing:
        quote += T.UNIT_PERIOD.format(n=u.period_reports) if u.period_reports else T.UNIT_PERIOD_NONE
    return T.UNIT_LINE.format(
        unit=u.unit_name, role=_role(u), status=status_words(u),
        dated=T.UNIT_DATED.format(date=format_date(u.last_report_on)) if u.last_report_on else "",
        category="" if ongoing else T.UNIT_CATEGORY.format(category=_lower_first(LABELS[u.category])),
        quote=quote, files=T.UNIT_FILES.format(names=", ".join(u.files)) if u.files else "",
    )  # fmt: skip


def _header(doc: Flow, model: Baocao, settings: BaocaoSettings, today: date) -> None:
    office = settings.party if model.directive.family == Family.PARTY else settings.government
    when = T.PLACE_DATE.format(place=settings.place, d=today.day, m=today.month, y=today.year)
    if model.directive.family == Family.PARTY:
        left = [Line(office.parent.upper()), Line(office.office.upper(), bold=True), Line("*")]
        right = [Line(T.PARTY_MOTTO, size=15, bold=True, underline=True)]
        number = [Line(T.PARTY_NUMBER.format(code=office.code))]
        doc.table([(left, right), (number, [Line(when, italic=True)])], (7.0, 9.5), borders=False)
    else:
        left = [Line(office.parent.upper(), 13), Line(office.office.upper(), 13, bold=True), Line("______", 13)]
        right = [Line(T.STATE_NAME, 12, bold=True), Line(T.STATE_MOTTO, 13, bold=True), Line("____________", 13)]
        number = [Line(T.GOV_NUMBER.format(code=office.code), 13)]
        doc.table([(left, right), (number, [Line(when, 14, italic=True)])], (6.0, 10.5), borders=False)


def _title(doc: Flow, model: Baocao) -> None:
    party = model.directive.family == Family.PARTY
    doc.para("", indent=False, after=6)
    doc.para(T.TITLE, size=16 if party else 14, bold=True, align="center", indent=False, after=0)
    doc.para(subject(model), bold=True, align="center", indent=False, after=0)
    period = T.PERIOD.format(start=format_date(model.start), end=format_date(model.end))
    doc.para(period, italic=True, align="center", indent=False, after=0)
    doc.para("-----" if party else "______", align="center", indent=False, after=12)


def _deployment(doc: Flow, model: Baocao) -> None:
    dep = model.deployment
    doc.para(T.H1, bold=True)
    doc.para(T.DEPLOY_REGISTERED.format(date=format_date(dep.registered_on)))
    doc.para(T.DEPLOY_SIZE.format(duties=dep.duties, units=dep.units, leads=dep.leads, supports=dep.supports))
    if dep.first_notice_on is None or dep.last_notice_on is None:
        doc.para(T.DEPLOY_NO_NOTICES)
    else:
        first, last = format_date(dep.first_notice_on), format_date(dep.last_notice_on)
        when = (
            T.DEPLOY_NOTICE_DAY.format(date=first)
            if first == last
            else T.DEPLOY_NOTICE_RANGE.format(first=first, last=last)
        )
        doc.para(T.DEPLOY_NOTICES.format(notified=dep.notified, total=dep.leads + dep.supports, when=when))
    if model.files:
        doc.para(T.DEPLOY_FILES.format(n=model.files))


def _duty(doc: Flow, duty: DutyResult) -> None:
    doc.para(short_title(duty.text, _DUTY_CHARS), lead=T.DUTY_LABEL.format(label=duty.label))
    deadline = T.DUTY_ONGOING if duty.ongoing else T.DUTY_DEADLINE.format(deadline=format_date(duty.deadline))  # type: ignore[arg-type]
    doc.para(deadline, italic=True)
    leads = [u.unit_name for u in duty.units if u.role == AssignmentRole.LEAD]
    supports = [u.unit_name for u in duty.units if u.role != AssignmentRole.LEAD]
    if leads:
        doc.para(T.DUTY_LEADS.format(units=", ".join(leads)))
    if supports:
        doc.para(T.DUTY_SUPPORTS.format(units=", ".join(supports)))
    if not duty.units:
        doc.para(T.DUTY_NO_UNITS)
    silent = [u for u in duty.units if u.state == UnitState.NO_REPORT]
    for u in duty.units:
        if u.state != UnitState.NO_REPORT:
            doc.para(unit_line(u, duty.ongoing))
    if silent:
        names = "; ".join(f"{u.unit_name} ({_role(u)})" for u in silent)
        doc.para(T.SILENT_LINE.format(units=names))


def _problems(doc: Flow, model: Baocao) -> None:
    doc.para(T.H3, bold=True)
    for d in model.difficulties:
        template = T.DIFFICULTY if d.text.strip() else T.DIFFICULTY_NO_TEXT
        doc.para(template.format(unit=d.unit_name, label=d.duty_label, date=format_date(d.on),
                                       text=quoted(d.text)))  # fmt: skip
    if not model.difficulties:
        doc.para(T.NO_DIFFICULTIES)
    doc.para(T.H4, bold=True)
    for s in model.silent:
        doc.para(T.SILENT.format(unit=s.unit_name, labels=", ".join(s.duty_labels)))
    if not model.silent:
        doc.para(T.NO_SILENT)
    doc.para(T.H5, bold=True)
    for e in model.extensions:
        doc.para(T.EXTENSION.format(
            unit=e.unit_name, label=e.duty_label, date=format_date(e.on),
            to=T.EXTENSION_TO.format(date=format_date(e.to)) if e.to else "",
            reason=T.EXTENSION_REASON.format(text=quoted(e.reason)) if e.reason.strip() else "",
            decision=T.DECISIONS[e.decision],
        ))  # fmt: skip
    if not model.extensions:
        doc.para(T.NO_EXTENSIONS)
    doc.para(T.PROPOSAL_PLACEHOLDER, italic=True)


def _signature(doc: Flow, model: Baocao, settings: BaocaoSettings) -> None:
    party = model.directive.family == Family.PARTY
    office = settings.party if party else settings.government
    size, small = (14, 12) if party else (12, 11)
    recipients = [
        Line(T.RECIPIENTS, size, bold=not party, italic=not party, underline=party, align="left"),
        Line(T.RECIPIENT_PLACEHOLDER, small, align="left"),
        Line(T.PARTY_ARCHIVE if party else T.GOV_ARCHIVE, small, align="left"),
    ]
    sign = [Line(office.signer.upper(), 14, bold=True), Line(""), Line(""), Line(""), Line(T.SIGN_NAME, 14)]
    doc.para("", indent=False)
    # "Nơi nhận" flush left, the signer's title centred on the right: both standards.
    doc.table([(recipients, sign)], (8.0, 8.5), borders=False)


def annex_rows(model: Baocao) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for duty in model.duties:
        for u in duty.units:
            last = format_date(u.last_report_on) if u.last_report_on else T.ANNEX_NONE
            category = LABELS[Category.ONGOING] if duty.ongoing else LABELS[u.category]
            rows.append(
                (str(len(rows) + 1), duty.label, f"{u.unit_name} ({_role(u)})", status_words(u), last, category)
            )
    return rows


def render(model: Baocao, settings: BaocaoSettings, today: date) -> bytes:
    """The .docx bytes (a report of 30 duties by 60 units renders in well under a second)."""
    doc = Flow(size=14, top=20, bottom=20, left=30, right=15)
    _header(doc, model, settings, today)
    _title(doc, model)
    _deployment(doc, model)
    doc.para(T.H2, bold=True)
    for duty in model.duties:
        _duty(doc, duty)
    _problems(doc, model)
    _signature(doc, model, settings)
    doc.page_break()
    doc.para(T.ANNEX, bold=True, align="center", indent=False, after=0)
    doc.para(T.ANNEX_SUBTITLE, bold=True, align="center", indent=False, after=0)
    doc.para(T.ANNEX_OF.format(subject=_lower_first(subject(model))), italic=True, align="center", indent=False)
    rows = annex_rows(model)
    if rows:
        head = [[Line(text, 12, bold=True)] for text in T.ANNEX_HEADER]
        body = [[[Line(text, 12, align="center" if i in (0, 1, 4) else "left")] for i, text in enumerate(row)]
                for row in rows]  # fmt: skip
        doc.table([head, *body], _ANNEX_WIDTHS, borders=True, header=True)
    else:
        doc.para(T.ANNEX_NO_ASSIGNMENTS)
    return doc.save()
