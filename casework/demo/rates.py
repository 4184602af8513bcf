"""The proportions the demo generator draws from, in one place.

Figures marked **derived** come from the policy catalog (``shared/policy/catalog.md`` §13.3 and the
rule rows it cites); everything else is a stated assumption for a plausible registry, not policy.
Change a number here and the generated registry changes with it; nothing else hard-codes one.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["REFERENCE_DATE"]

REFERENCE_DATE = dt.date(2018, 9, 1)
"""The day the demo registry describes (start of the 2018 autumn term; the calc contract's example
date). Ages, school stages and enrolment years are as at this day; hospital stays fall in 2018
before it; income records cover the last full years 2015–2017."""
INCOME_YEARS = (2015, 2016, 2017)
POLICY_YEAR = 2018

# --- where households live -------------------------------------------------------------------
# Bazhong vs Kaizhou: Kaizhou had 119207 registered-poor people (catalog §13.3). Bazhong's total is
# not stated; derived estimate 82927 supported registered-poor students ÷ 28.8 % students among
# exiting people ≈ 287941 people. Within Bazhong, counties are weighted by boarding-aid students
# (万, catalog §13.3, EDU-BZ-05): 巴州 0.46, 恩阳 0.64, 南江 1.56, 通江 0.9, 平昌 1.14.
_BAZHONG_PEOPLE = 82927 / 0.288
_KAIZHOU_PEOPLE = 119207
_BZ_BOARDERS = {"511902": 0.46, "511903": 0.64, "511921": 0.9, "511922": 1.56, "511923": 1.14}
_BZ_TOTAL = sum(_BZ_BOARDERS.values())
COUNTY_WEIGHTS: dict[str, float] = {
    **{code: _BAZHONG_PEOPLE * share / _BZ_TOTAL for code, share in _BZ_BOARDERS.items()},
    "500154": float(_KAIZHOU_PEOPLE),
}
POOR_VILLAGE_WEIGHT = 2.0
"""A 贫困村 holds twice the registered households of a village of unknown status (assumption)."""
CADRE_VILLAGE_MIN = 30
"""The demo cadre's village gets at least min(N, this many) households."""

# --- household size and make-up ------------------------------------------------------------
# Mean ≈ 3.6 persons (3.62 measured at N=100000), matching Bazhong's relocated households (3.59,
# derived, REL-BZ-06/07) and
# Kaizhou's solar households (3.70, derived).
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
HOUSEHOLD_SIZE_WEIGHTS = (0.12, 0.16, 0.20, 0.24, 0.16, 0.08, 0.03, 0.01)
SINGLE_ELDER = 0.70  # a one-person household is an old person living alone
ELDER_COUPLE = 0.55  # a two-person household is an old couple …
SINGLE_PARENT = 0.25  # … or a parent and child (else a grandparent and grandchild)
NUCLEAR_HEAD_AGE = (28, 48)
NUCLEAR = 0.60  # a bigger household is head + spouse + children (+ the head's parents);
# otherwise three generations down: old head + spouse, adult child (+ in-law), grandchildren
SPOUSE_PRESENT = 0.88
OTHER_BIRTHPLACE = 0.10  # spouses/parents born in another county (their ID carries its code)

# --- status (as at the reference date) -----------------------------------------------------
REGISTERED_POOR = 0.96  # the rest are 低保/特困 households off the poverty register (SOC-KZ-03)
# share still poor; 巴州/恩阳 exited as counties before 2018, 南江 exits in 2018, 通江/平昌 are
# still poor counties (catalog §17.1); Kaizhou de-listed at the end of 2017 (EXIT-KZ-02).
STILL_POOR = {"511902": 0.08, "511903": 0.08, "511921": 0.45, "511922": 0.35, "511923": 0.45,
              "500154": 0.06}
RETURNED = 0.015
EXIT_YEARS_BZ = ((2014, 0.15), (2015, 0.25), (2016, 0.30), (2017, 0.30))
# Kaizhou's exit schedule 2015 47000 / 2016 55000 / 2017 10487 persons (EXIT-KZ-02)
EXIT_YEARS_KZ = ((2015, 47000), (2016, 55000), (2017, 10487))
DIBAO = {"poor": 0.30, "returned": 0.35, "exited": 0.12}
DIBAO_ELDERLY_BONUS = 0.20
TEKUN_SINGLE = 0.35  # a lone old or severely disabled person is 特困 …
TEKUN_CENTRALIZED = 0.15  # … supported in an institution (else at home)
TEKUN_OFF_REGISTER = 0.5  # a lone vulnerable person off the poverty register: 特困 (else 低保)
ECONOMIC_DIFFICULTY_RECORDED = 0.90  # else left None (the contract's default applies)
EXITED_NOT_DIFFICULT = 0.20  # of exited households with it recorded, recorded as False

# --- incomes (yuan per person per year, 2017; lognormal median and sigma) -------------------
# Kaizhou farmers averaged 10170 元 in 2015 (derived, §13.3); the registered poor earn far less.
INCOME_MEDIAN = {("poor", "BZ"): 3000, ("returned", "BZ"): 2700, ("exited", "BZ"): 6200,
                 ("poor", "KZ"): 3200, ("returned", "KZ"): 2900, ("exited", "KZ"): 7500}
INCOME_SIGMA = 0.32
INCOME_GROWTH = (1.05, 1.18)  # yearly, per record back in time (T-KZ-04 expects 12 %)

# --- housing and relocation --------------------------------------------------------------
GRADE_WEIGHTS = {"poor": (0.30, 0.40, 0.20, 0.10), "returned": (0.30, 0.40, 0.20, 0.10),
                 "exited": (0.55, 0.42, 0.025, 0.005), None: (0.35, 0.45, 0.15, 0.05)}
# Relocated people: Kaizhou 16900 ÷ 119207 ≈ 14.2 % (derived, §13.3); Bazhong's 2018 provincial
# quota 56850 persons (REL-BZ-07) ÷ ≈287941 ≈ 19.7 % (derived from the estimate above).
NEW_HOUSE_GRADE_A = 0.9  # a relocated household's new house (else B)
RELOCATED = {"BZ": 56850 / _BAZHONG_PEOPLE, "KZ": 16900 / _KAIZHOU_PEOPLE}
CENTRALIZED = 0.614  # REL-BZ-06 (derived share of persons)
# 巴州/恩阳/平昌 finished their quotas in 2017; 南江/通江 build in 2018 (REL-BZ-07); Kaizhou moved
# 7600 / 7000 / 2300 people in 2016 / 2017 / 2018 (REL-KZ-02).
RELOCATION_STAGES = {"done": (("moved_in", 1.0),),
                     "2018": (("moved_in", 0.60), ("building", 0.30), ("planned", 0.10)),
                     "KZ": (("moved_in", 0.86), ("building", 0.10), ("planned", 0.04))}
RELOCATION_DONE_2017 = ("511902", "511903", "511923")
AREA_PER_PERSON = (20.0, 25.0)  # REL-BZ-01 caps 25 m² per person …
AREA_OVER_CAP = 0.03  # … a few are built too big (T-BZ-34 checks)
COST_PER_M2 = (980, 1200)  # ≈1091 元/m² (derived, REL-BZ-10)
SELF_FUNDED = (3000, 10000)  # ≈7530 元 per household on average (derived, REL-BZ-10) …
SELF_FUNDED_OVER = 0.03  # … a few pay more than the 1万 average (REL-BZ-02)

# --- utilities and observations: probability of True (poor-or-returned, exited) ------------
UTILITIES = {"water_safe": (0.90, 0.985), "power_ok": (0.985, 0.998), "tv_access": (0.93, 0.99),
             "food_secure": (0.985, 0.998), "clothing_secure": (0.99, 0.999)}
PAIRING_UNITS = ("农业局", "教育局", "卫生和计划生育局", "人力资源和社会保障局", "交通运输局",
                 "水务局", "民政局", "扶贫和移民工作局", "财政局", "林业局")

# --- "not recorded" (None) so the engine's missing_data path gets exercised ------------------
HOUSEHOLD_GAPS = 0.04
HOUSEHOLD_GAP_FIELDS = ("per_capita_net_income_yuan", "housing_safety_grade", "water_safe",
                        "tv_access", "food_secure", "clothing_secure", "power_ok", "dibao",
                        "pairing_cadre")
MEMBER_GAPS = 0.02
MEMBER_GAP_FIELDS = ("id_number", "medical_insurance", "critical_illness_insurance",
                     "family_doctor", "labor", "annual_income_yuan", "pension_insured")
STUDENT_GAP_FIELDS = ("school_days", "school_boarding", "school_public", "school_fee_yuan")
INFANT_WITHOUT_ID = 0.40  # under one year old, not yet registered
LEFT_HOUSEHOLD = 0.005  # adult non-heads who have left (married out, moved): active = False

# --- schooling (age as at the reference date; Chinese pupils start primary at 6 by 31 August) --
# Students among Bazhong's exiting people: 28.8 % (derived, §13.3); the household make-up above
# gives about 26 % students among all registered people (old people living alone included).
PRESCHOOL_ENROLLED = 0.85  # ages 3–5
OUT_OF_SCHOOL = 0.004  # compulsory ages 6–14 not enrolled (辍学; inspectors must find them)
SENIOR_ENROLLED = 0.85  # ages 15–17 …
VOCATIONAL_SHARE = 0.45  # … vocational : general = 4.5 : 5.5 (T-KZ-13)
COLLEGE_ENROLLED = 0.30  # ages 18–21
STAGE_START_AGE = {"preschool": 3, "primary": 6, "junior": 12, "senior": 15, "vocational": 15,
                   "college": 18}
BOARDING = {"preschool": 0.02, "primary": 0.25, "junior": 0.65, "senior": 0.90,
            "vocational": 0.85, "college": 0.95}
PUBLIC = {"preschool": 0.65, "primary": 0.97, "junior": 0.97, "senior": 0.92, "vocational": 0.80,
          "college": 0.85}
KEY_SCHOOL = 0.20  # senior students in a 重点高中
# fees charged per year (yuan): compulsory schooling is free ("三免", EDU-BZ-04); senior tuition
# 800 ordinary / 1600 key (EDU-KZ-04; Bazhong's derived average ≈700); vocational nominal 2000
# (EDU-KZ-05); preschool and college fees are assumptions.
PRESCHOOL_FEES = {True: (1200, 1500, 1800, 2400), False: (3000, 3600, 4200, 4800, 6000)}
SENIOR_FEES = {True: (1600,), False: (700, 800, 800, 900)}
VOCATIONAL_FEE = 2000
COLLEGE_FEES = (4000, 4500, 5000, 5500, 6000, 6500)
SCHOOL_DAYS = (170, 195)
SCHOOL_DAYS_LOW = 0.02  # long absences (60–150 days)

# --- health --------------------------------------------------------------------------------
DISABILITY_BY_AGE = ((18, 0.015), (60, 0.06), (200, 0.14))  # (age below, share)
DISABILITY_GRADES = ((1, 0.12), (2, 0.23), (3, 0.30), (4, 0.35))
CHRONIC_BY_AGE = ((18, 0.01), (45, 0.06), (60, 0.22), (200, 0.45))
SECOND_CONDITION = 0.25
CONDITIONS = (("高血压", 30), ("糖尿病", 12), ("慢性阻塞性肺疾病", 10), ("冠心病", 8),
              ("类风湿性关节炎", 8), ("慢性胃炎", 8), ("脑梗死后遗症", 5), ("慢性肾病", 3),
              ("重性精神病", 2), ("肺结核", 1.5), ("癫痫", 1.5))
INPATIENT_BY_AGE = ((6, 0.08), (18, 0.03), (45, 0.05), (60, 0.09), (200, 0.18))
INPATIENT_CHRONIC_BONUS = 0.10
STAYS_PER_PATIENT = ((1, 0.80), (2, 0.17), (3, 0.03))
DELIVERY = 0.03  # women 20–38 giving birth in hospital this year
CHRONIC_OUTPATIENT = 0.50  # people with a chronic condition in maintenance treatment …
OUTPATIENT_EPISODES = (1, 4)  # … this many episodes
LEVELS = (("township", 0.30), ("county", 0.50), ("city", 0.15), ("provincial", 0.05))
COUNTY_HOSPITAL_IN_COUNTY = 0.95  # T-BZ-04 wants ≥95 % of poor patients treated in-county
PUBLIC_HOSPITAL = {"township": 0.97, "county": 0.95, "city": 0.85, "provincial": 0.90}
COST_MEDIAN = {"township": 2200, "county": 6500, "city": 18000, "provincial": 45000}
COST_SIGMA = 0.6
MAJOR_DISEASE_FACTOR = 2.5
OUTPATIENT_COST_MEDIAN = 800
# out-of-catalogue share: within the cap (5 % county, 10 % city; MED-BZ-18) except for a few
CATALOG_CAP = {"township": 0.05, "county": 0.05, "city": 0.10, "provincial": 0.15}
OVER_CAP = 0.06
REIMBURSED_IN_COUNTY = (0.80, 0.97)  # share of the in-catalogue part
REIMBURSED_OUT_OF_COUNTY = (0.50, 0.75)
REIMBURSED_OUTPATIENT = (0.60, 0.90)
UNSETTLED = 0.03  # reimbursement not yet recorded
DIAGNOSES = ("肺炎", "急性支气管炎", "骨折", "胆囊炎", "阑尾炎", "白内障", "脑梗死", "冠心病",
             "慢性阻塞性肺疾病急性加重", "腰椎间盘突出症", "高血压", "糖尿病")
MAJOR_DIAGNOSES = ("胃癌", "肺癌", "食管癌", "终末期肾病", "急性心肌梗死")  # MED-BZ-04 list
MAJOR_SHARE = 0.06

# --- insurance (probability of True; the rest mostly False, a few "not recorded") ---------------
MEDICAL_INSURED = 0.993  # T-BZ-01 wants 100 %: the few without are for inspectors to find
CRITICAL_INSURED = 0.995  # of the medically insured
FAMILY_DOCTOR = 0.97
PENSION_INSURED = 0.93  # 16+ and not in school
PENSION_INSURED_ELDERLY = 0.96

# --- labour and work -----------------------------------------------------------------------
LABOR_WORKING_AGE = (("normal", 0.62), ("skilled", 0.15), ("weak", 0.18), ("lost", 0.05))
LABOR_YOUNG_OLD = (("normal", 0.25), ("weak", 0.45), ("lost", 0.10), ("none", 0.20))  # 60–69
LABOR_OLD = (("weak", 0.25), ("lost", 0.15), ("none", 0.60))  # 70+
WEAK_IF_CHRONIC = 0.35
EMPLOYMENT_ABLE = (("stable", 0.35), ("temporary", 0.30), ("self_employed", 0.12),
                   ("public_post", 0.03), ("none", 0.20))
EMPLOYMENT_WEAK = (("public_post", 0.10), ("temporary", 0.25), ("self_employed", 0.10),
                   ("none", 0.55))
WAGE_WEIGHT = {"stable": 3.0, "temporary": 1.5, "self_employed": 1.2, "public_post": 0.8}
OWN_INCOME_IDLE_ADULT = (0, 1500)  # a little farm or transfer income of an adult without work
