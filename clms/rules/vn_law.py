"""Decision table 1: Vietnamese law, rules V0–V10 of spec §2.3.

Closed lists (spec §2.3, "Closed lists").  Art. 147 of the Labour Code and Appendices II, III,
IV and V (parts I and II) of Circular 09/2020 are closed lists, and every item of each is in the
catalogue.  So a job recorded with a code is on a list exactly when the catalogue says so, and a
job recorded as ``OTHER`` ("another job, not in the lists") is on none of them unless the officer
set the stand-in (``job_is_appendix_iii``, ``job_on_app_v_overtime``, ``job_on_app_v_night``) to
yes: a stand-in left unknown for ``OTHER`` means "not on the list".  Only a job that was not
recorded at all (``job_code`` is None) leaves list membership unknown; then the field goes into
``missing`` and is never read as a breach.  Rules whose result this reading decides:

- V3 (Appendix III): ``OTHER`` with the stand-in unknown is not hazardous (as before) and the
  stand-in is no longer reported as missing.
- V5/V6 (art/sport under 13, Appendix II for 13–14): ``OTHER`` is not on them (as before).
- V9 (Appendix V part I, overtime/long hours; part II, night work): ``OTHER`` with the stand-in
  unknown is not on the list, so more than 8 h/day, 40 h/week, overtime or night work is
  CHILD_LABOUR (before: the stand-in went into ``missing`` and the work was PERMITTED).
- S2 of the statistical tables reads the national lists through ``hazards_found`` (as V3).

This is the hot path of bulk classification: plain attribute reads, frozenset look-ups and
one ``Decision`` per call. Texts are built later, by the decision, only when read.
"""

from __future__ import annotations

from .dates import age_in_months, health_check_overdue
from .decision import Decision, make_decision
from .model import Category, Situation
from .rulesets import Compiled

__all__ = ["classify_vn_law", "hazards_found", "works"]

_HAZ = Category.HAZARDOUS_CHILD_LABOUR
_CL = Category.CHILD_LABOUR
_OK = Category.PERMITTED_WITH_CONDITIONS
_NOT = Category.NOT_CHILD_LABOUR
_OUT = Category.OUT_OF_SCOPE
_FAMILY = frozenset({"HOUSEHOLD_CHORES", "FAMILY_FARM"})
_EMPLOYER = frozenset({"EMPLOYED", "FAMILY_BUSINESS"})


def works(s: Situation) -> bool:
    """Whether the record shows work although ``activity`` is not filled in."""
    return (
        s.job_code is not None
        or s.workplace_code is not None
        or s.job_is_appendix_iii is True
        or bool(s.hazards)
        or s.night_work is True
        or s.overtime is True
        or (s.hours_week or 0) > 0
        or (s.hours_day_max or 0) > 0
        or (s.chores_hours_week or 0) > 0
        or (s.load_kg or 0) > 0
    )


def _load_breach(s: Situation, rs: Compiled, age: int, missing: list[str]) -> bool:
    load = s.load_kg
    if load is None:
        missing.append("load_kg")
        return False
    if age < 18:
        # Appendix III item 68 gives weights from 15 years (180 months); a load beyond a
        # 15-year-old's limit is a fortiori beyond a younger child's, so below 15 the first
        # band applies. This also keeps an older child from ever being judged more severely.
        by_age = rs.load_band_by_age
        if by_age is not None:
            band = by_age[age]
        else:
            months = age_in_months(s.dob, s.as_of)
            band = 0
            for index, (start, end) in enumerate(rs.load_bands):
                if start <= months < end:
                    band = index
        low, high = rs.load_limits[(band, s.sex, s.load_regular)]
        if load >= high:
            return True
        if load >= low:
            if s.sex is None:
                missing.append("sex")
            if s.load_regular is None:
                missing.append("load_regular")
    return False


def hazards_found(
    s: Situation, rs: Compiled, age: int, missing: list[str], codes: list[str] | None
) -> bool:
    """Rule V3 (and the national-list part of S2): banned job, load or workplace."""
    found = False
    job = s.job_code
    # The officer's yes/no stands in for Appendix III only when no catalogued job was
    # recorded (spec §2.1); a catalogued code decides by itself.
    stand_in = (job is None or job == "OTHER") and s.job_is_appendix_iii is True
    if stand_in or job in rs.hazardous_jobs:
        found = True
        if codes is not None:
            codes.append("V3.JOB")
    elif job is not None and job in rs.age_limited_jobs:
        if age < rs.age_limited_jobs[job]:
            found = True
            if codes is not None:
                codes.append("V3.JOB")
    elif job is None:
        missing.append("job_code")
        missing.append("job_is_appendix_iii")
    # A job recorded as OTHER with the stand-in unknown is not on Appendix III (closed list).
    # Item 68 describes carrying, not a job title: a load is weighed whatever the job.
    if _load_breach(s, rs, age, missing):
        found = True
        if codes is not None:
            codes.append("V3.LOAD")
    wp = s.workplace_code
    if wp is None:
        missing.append("workplace_code")
    elif wp in rs.hazardous_workplaces:
        found = True
        if codes is not None:
            codes.append("V3.WORKPLACE")
    return found


def _on_list(job: str | None, listed: frozenset[str], stand_in: bool | None) -> bool | None:
    """Whether the job is on a closed list (Appendix V part I or II): None only when unknown.

    The officer's yes/no stands in for the list only when no catalogued job was recorded.  A job
    recorded as OTHER is off the list unless the stand-in says yes; a job not recorded at all
    is unknown unless the stand-in says either way (module docstring, "Closed lists")."""
    if job is None:
        return stand_in
    if job == "OTHER":
        return stand_in is True
    return job in listed


def classify_vn_law(s: Situation, rs: Compiled, strict: bool, family_outside: bool) -> Decision:
    dob = s.dob
    as_of = s.as_of
    age = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    rid = rs.info.id
    if age >= 18:
        return make_decision(_OUT, "ADULT", rid, age, ("V0",), (), (), s, False)
    activity = s.activity
    rules: list[str] = []
    codes: list[str] = []
    missing: list[str] = []
    category = None
    subtype = ""
    # Worst forms come before "no activity": a trafficked or exploited child is never
    # recorded as not working (spec lists V1 first; see the report on §7).
    if s.worst_forms:
        rules.append("V2")
        codes.append("V2.WORST_FORM")
        category = _HAZ
        subtype = "WORST_FORM"
    if activity == "NONE" or (activity is None and not works(s)):
        if category is None:
            return make_decision(
                _NOT, "NO_WORK", rid, age, ("V1",), (),
                ("activity",) if activity is None else (), s, False,
            )
        return make_decision(category, subtype, rid, age, tuple(rules), tuple(codes), (), s, False)
    maybe_family = activity is None or activity in _FAMILY
    employer = activity in _EMPLOYER or (activity is not None and not family_outside)

    if hazards_found(s, rs, age, missing, codes):
        rules.append("V3")
        if category is None:
            category = _HAZ
            subtype = "HAZARDOUS_WORK"

    if family_outside and maybe_family and s.harms_study_health_safety is not True:
        if activity is None:
            missing.append("activity")
        if s.harms_study_health_safety is None:
            missing.append("harms_study_health_safety")
        if category is None:
            return make_decision(_NOT, "FAMILY_WORK", rid, age, ("V4",), (), tuple(missing), s, False)
        return make_decision(
            category, subtype, rid, age, tuple(rules), tuple(codes), tuple(dict.fromkeys(missing)),
            s, False,
        )

    job = s.job_code
    job_banned = "V3.JOB" in codes
    unlawful = False
    conditions_failed = False
    if age < 13:
        job_ok = job is None or job in rs.under13_jobs
        if job is None:
            missing.append("job_code")
        elif not job_ok:
            unlawful = True
            rules.append("V5")
            if not job_banned:
                codes.append("V5.JOB")
        if job_ok:
            consent = s.provincial_consent
            if consent is False:
                if not unlawful:
                    rules.append("V5")
                unlawful = True
                codes.append("V5.CONSENT")
            elif consent is None:
                missing.append("provincial_consent")
    elif age < 15:
        if job is None:
            missing.append("job_code")
        elif job not in rs.light_work:
            unlawful = True
            rules.append("V6")
            if not job_banned:
                codes.append("V6.JOB")

    hd = s.hours_day_max
    hw = s.hours_week
    overtime = s.overtime
    night = s.night_work
    if age < 15:
        before = len(codes)
        if hd is None:
            missing.append("hours_day_max")
        elif hd > 4:
            codes.append("V7.HOURS_DAY")
        if hw is None:
            missing.append("hours_week")
        elif hw > 20:
            codes.append("V7.HOURS_WEEK")
        if overtime is None:
            missing.append("overtime")
        elif overtime:
            codes.append("V7.OVERTIME")
        if night is None:
            missing.append("night_work")
        elif night:
            codes.append("V7.NIGHT")
        if len(codes) > before:
            unlawful = True
            rules.append("V7")

        before = len(codes)
        if s.contract_written_child_and_rep is None:
            missing.append("contract_written_child_and_rep")
        elif not s.contract_written_child_and_rep:
            codes.append("V8.CONTRACT")
        if s.affects_study_time is None:
            missing.append("affects_study_time")
        elif s.affects_study_time:
            codes.append("V8.STUDY")
        if s.health_cert is None:
            missing.append("health_cert")
        elif not s.health_cert:
            codes.append("V8.HEALTH_CERT")
        last = s.last_health_check
        if last is None:
            missing.append("last_health_check")
        elif health_check_overdue(last, as_of):
            codes.append("V8.HEALTH_CHECK")
        if s.osh_age_appropriate is None:
            missing.append("osh_age_appropriate")
        elif not s.osh_age_appropriate:
            codes.append("V8.OSH")
        if len(codes) > before:
            conditions_failed = True
            rules.append("V8")
    else:
        before = len(codes)
        long_day = hd is not None and hd > 8
        long_week = hw is not None and hw > 40
        if hd is None:
            missing.append("hours_day_max")
        if hw is None:
            missing.append("hours_week")
        if overtime is None:
            missing.append("overtime")
        if long_day or long_week or overtime:
            listed = _on_list(job, rs.overtime_jobs, s.job_on_app_v_overtime)
            if listed is None:
                missing.append("job_code" if job is None else "job_on_app_v_overtime")
            elif not listed:
                if long_day:
                    codes.append("V9.HOURS_DAY")
                if long_week:
                    codes.append("V9.HOURS_WEEK")
                if overtime:
                    codes.append("V9.OVERTIME")
        if night is None:
            missing.append("night_work")
        elif night:
            listed = _on_list(job, rs.night_jobs, s.job_on_app_v_night)
            if listed is None:
                missing.append("job_code" if job is None else "job_on_app_v_night")
            elif not listed:
                codes.append("V9.NIGHT")
        if hd is not None and hd > 12:
            codes.append("V9.OVER_12H")
        if len(codes) > before:
            unlawful = True
            rules.append("V9")

    if s.parent_consent is None:
        missing.append("parent_consent")
    elif not s.parent_consent:
        codes.append("V10.PARENT_CONSENT")
    if s.separate_register is None:
        missing.append("separate_register")
    elif not s.separate_register:
        codes.append("V10.REGISTER")

    if category is None:
        if unlawful:
            category = _CL
            subtype = {"V5": "UNDER_13", "V6": "NOT_LIGHT_WORK"}.get(rules[0], "HOURS")
        elif conditions_failed:
            category = _CL if strict else _OK
            subtype = "CONDITIONS_NOT_MET"
            if not strict:
                rules.append("V10")
        else:
            category = _OK
            subtype = "LAWFUL_WORK"
            rules.append("V10")
    return make_decision(
        category, subtype, rid, age, tuple(rules), tuple(codes), tuple(dict.fromkeys(missing)),
        s, employer,
    )
