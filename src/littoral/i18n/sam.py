"""The words of the search action message (SAM), in English and Russian, in one catalogue.

The SAM (:mod:`littoral.services.sam`) is sent between rescue centres and to the parent
agencies of the SAR facilities, in English, the common language of messages between centres,
or in Russian. Its words live here, apart from the page's and the SITREP's JSON catalogues
(:mod:`littoral.i18n`), so the message can gain a language by adding one dictionary: every
language holds the English keys with the same ``{name}`` fields (a unit test checks it).
Positions, date-time groups and what officers typed stay as they are.
"""

from __future__ import annotations

from littoral.errors import InputError
from littoral.i18n import Catalogue

SAM_LANGUAGES: tuple[str, ...] = ("en", "ru")
"""The languages the search action message is written in."""

_EN: dict[str, str] = {
    "_name": "English",
    "title": "SEARCH ACTION MESSAGE",
    "from": "FROM: {rcc}",
    "to": "TO: {agencies}, SAR FACILITIES OF PART 3",
    "number": "SAM {case} NO {number} (PLAN {plan})",
    "subject": "SUBJECT: {title}",
    "part.situation": "SITUATION",
    "part.areas": "SEARCH AREAS",
    "part.execution": "EXECUTION",
    "part.coordination": "CO-ORDINATION",
    "part.communications": "COMMUNICATIONS",
    "part.reports": "REPORTS",
    "incident": "INCIDENT: {text}",
    "lkp": "LAST KNOWN POSITION {position} AT {time}",
    "pob": "PERSONS ON BOARD: {persons}",
    "object": "PRIMARY SEARCH OBJECT: {object}",
    "weather": "WEATHER ON SCENE: {weather}",
    "drift": "DRIFT: {text}",
    "facilities": "SAR FACILITIES: {units}",
    "col.area": "AREA",
    "col.size": "SIZE",
    "col.corners": "CORNER POINTS",
    "col.other": "OTHER DATA",
    "col.facility": "SAR FACILITY",
    "col.agency": "PARENT AGENCY",
    "col.pattern": "PATTERN",
    "col.creep": "CREEP",
    "col.csp": "CSP",
    "col.altitude": "ALTITUDE",
    "size": "{area_nm2} NM2",
    "other": "POC {poc}, POD {pod}, POS {pos}",
    "plan_pos": "PLANNED POS {pos} ({ratio} OF THE OPTIMUM), START {start}",
    "pattern.parallel": "PARALLEL TRACK (PS)",
    "pattern.creeping-line": "CREEPING LINE (CS)",
    "pattern.expanding-square": "EXPANDING SQUARE (SS)",
    "pattern.sector": "SECTOR (VS)",
    "pattern.track-line-return": "TRACK LINE, RETURN (TSR)",
    "pattern.track-line-non-return": "TRACK LINE, NON-RETURN (TSN)",
    "pattern.none": "NOT ASSIGNED",
    "altitude": "{altitude_ft} FT",
    "surface": "SURFACE",
    "smc": "SMC: {rcc}",
    "osc": "OSC: {unit}",
    "osc_none": "OSC: TO BE DESIGNATED BY SMC",
    "times": "{unit}: ON SCENE {start}, SEARCH ENDS {end}",
    "times_none": "{unit}: NO SEARCH TIME IN DAYLIGHT WITHIN ENDURANCE",
    "spacing": (
        "{unit}: TRACK SPACING {spacing_nm} NM, COVERAGE {coverage}, SWEEP WIDTH {sweep_nm} NM"
    ),
    "osc_instructions": (
        "OSC INSTRUCTIONS: REPORT SIGHTINGS AND DEBRIS AT ONCE WITH POSITION AND TIME; "
        "MARK SIGHTINGS WITH A DATUM MARKER BUOY WHERE CARRIED"
    ),
    "airspace": "AIRSPACE: RESERVATION OVER THE AIRCRAFT AREAS REQUESTED FROM ATS",
    "aircraft_safety": (
        "AIRCRAFT SAFETY: KEEP ASSIGNED AREAS AND ALTITUDES; REPORT ENTERING AND LEAVING "
        "THE AREA TO OSC"
    ),
    "control": "CONTROL CHANNELS (SMC-OSC): {channels}",
    "on_scene": "ON-SCENE CHANNELS: {channels}",
    "monitor": "MONITOR CHANNELS: {channels}",
    "identify": "IDENTIFICATION: SAR FACILITIES CALL BY NAME AND AREA LETTER OF PART 3",
    "press": "PRESS: RELEASES BY {rcc} ONLY",
    "osc_reports": (
        "OSC REPORTS ON-SCENE WEATHER, PROGRESS AND SITREPS TO {rcc} ON ARRIVAL AND EVERY {hours} H"
    ),
    "agency_reports": (
        "PARENT AGENCIES REPORT AT THE END OF DAILY OPERATIONS: HOURS FLOWN OR UNDER WAY, "
        "AREAS SEARCHED, COVERAGE FACTORS"
    ),
    "nil": "NIL",
    "print": "To print: Ctrl+P (the browser's Print)",
}

_RU: dict[str, str] = {
    "_name": "Русский",
    "title": "СООБЩЕНИЕ О ПОИСКОВЫХ ДЕЙСТВИЯХ",
    "from": "ОТ: {rcc}",
    "to": "КОМУ: {agencies}, ПОИСКОВО-СПАСАТЕЛЬНЫМ СРЕДСТВАМ ЧАСТИ 3",
    "number": "SAM {case} № {number} (ПЛАН {plan})",
    "subject": "ТЕМА: {title}",
    "part.situation": "ОБСТАНОВКА",
    "part.areas": "РАЙОНЫ ПОИСКА",
    "part.execution": "ВЫПОЛНЕНИЕ",
    "part.coordination": "КООРДИНАЦИЯ",
    "part.communications": "СВЯЗЬ",
    "part.reports": "ДОНЕСЕНИЯ",
    "incident": "ПРОИСШЕСТВИЕ: {text}",
    "lkp": "ПОСЛЕДНЕЕ ИЗВЕСТНОЕ МЕСТО {position} В {time}",
    "pob": "ЛЮДЕЙ НА БОРТУ: {persons}",
    "object": "ОСНОВНОЙ ОБЪЕКТ ПОИСКА: {object}",
    "weather": "ПОГОДА В РАЙОНЕ: {weather}",
    "drift": "ДРЕЙФ: {text}",
    "facilities": "ПОИСКОВО-СПАСАТЕЛЬНЫЕ СРЕДСТВА: {units}",
    "col.area": "РАЙОН",
    "col.size": "ПЛОЩАДЬ",
    "col.corners": "УГЛОВЫЕ ТОЧКИ",
    "col.other": "ПРОЧИЕ ДАННЫЕ",
    "col.facility": "СРЕДСТВО",
    "col.agency": "ОРГАНИЗАЦИЯ",
    "col.pattern": "ВИД ПОИСКА",
    "col.creep": "СМЕЩЕНИЕ",
    "col.csp": "ТНП",
    "col.altitude": "ВЫСОТА",
    "size": "{area_nm2} КВ. МИЛЬ",
    "other": "POC {poc}, POD {pod}, POS {pos}",
    "plan_pos": "ПЛАНОВАЯ POS {pos} ({ratio} ОТ ОПТИМУМА), НАЧАЛО {start}",
    "pattern.parallel": "ПАРАЛЛЕЛЬНЫМИ ГАЛСАМИ (PS)",
    "pattern.creeping-line": "ПОСЛЕДОВАТЕЛЬНЫМИ ГАЛСАМИ (CS)",
    "pattern.expanding-square": "РАСХОДЯЩИМСЯ КВАДРАТОМ (SS)",
    "pattern.sector": "СЕКТОРНЫЙ (VS)",
    "pattern.track-line-return": "ПО ЛИНИИ ПУТИ С ВОЗВРАТОМ (TSR)",
    "pattern.track-line-non-return": "ПО ЛИНИИ ПУТИ БЕЗ ВОЗВРАТА (TSN)",
    "pattern.none": "НЕ НАЗНАЧЕН",
    "altitude": "{altitude_ft} ФУТ",
    "surface": "НАДВОДНОЕ",
    "smc": "КООРДИНАТОР ПСО (SMC): {rcc}",
    "osc": "КООРДИНАТОР НА МЕСТЕ (OSC): {unit}",
    "osc_none": "КООРДИНАТОР НА МЕСТЕ (OSC): НАЗНАЧАЕТСЯ SMC",
    "times": "{unit}: В РАЙОНЕ {start}, ОКОНЧАНИЕ ПОИСКА {end}",
    "times_none": "{unit}: НЕТ СВЕТЛОГО ВРЕМЕНИ ПОИСКА В ПРЕДЕЛАХ АВТОНОМНОСТИ",
    "spacing": (
        "{unit}: РАССТОЯНИЕ МЕЖДУ ГАЛСАМИ {spacing_nm} МИЛИ, КОЭФФИЦИЕНТ ПОКРЫТИЯ {coverage}, "
        "ШИРИНА ОБЗОРА {sweep_nm} МИЛИ"
    ),
    "osc_instructions": (
        "УКАЗАНИЯ OSC: НЕМЕДЛЕННО ДОКЛАДЫВАТЬ ОБ ОБНАРУЖЕНИИ ЛЮДЕЙ И ОБЛОМКОВ С МЕСТОМ И "
        "ВРЕМЕНЕМ; ОТМЕЧАТЬ МЕСТО ОБНАРУЖЕНИЯ ДРЕЙФУЮЩИМ БУЕМ ПРИ ЕГО НАЛИЧИИ"
    ),
    "airspace": (
        "ВОЗДУШНОЕ ПРОСТРАНСТВО: РЕЗЕРВИРОВАНИЕ НАД РАЙОНАМИ ВОЗДУШНЫХ СУДОВ ЗАПРОШЕНО У ОВД"
    ),
    "aircraft_safety": (
        "БЕЗОПАСНОСТЬ ВОЗДУШНЫХ СУДОВ: СОБЛЮДАТЬ НАЗНАЧЕННЫЕ РАЙОНЫ И ВЫСОТЫ; ДОКЛАДЫВАТЬ OSC "
        "О ВХОДЕ В РАЙОН И ВЫХОДЕ ИЗ НЕГО"
    ),
    "control": "КАНАЛЫ УПРАВЛЕНИЯ (SMC-OSC): {channels}",
    "on_scene": "КАНАЛЫ НА МЕСТЕ: {channels}",
    "monitor": "КАНАЛЫ ПРОСЛУШИВАНИЯ: {channels}",
    "identify": "ОПОЗНАВАНИЕ: СРЕДСТВА ВЫЗЫВАЮТСЯ ПО НАЗВАНИЮ И БУКВЕ РАЙОНА ИЗ ЧАСТИ 3",
    "press": "ПРЕССА: СООБЩЕНИЯ ТОЛЬКО ЧЕРЕЗ {rcc}",
    "osc_reports": (
        "OSC ДОКЛАДЫВАЕТ {rcc} О ПОГОДЕ В РАЙОНЕ, ХОДЕ ПОИСКА И SITREP ПО ПРИБЫТИИ И КАЖДЫЕ "
        "{hours} Ч"
    ),
    "agency_reports": (
        "ОРГАНИЗАЦИИ ПО ОКОНЧАНИИ ДНЕВНЫХ ОПЕРАЦИЙ СООБЩАЮТ: ЧАСЫ ПОЛЁТА ИЛИ ХОДА, "
        "ОБСЛЕДОВАННЫЕ РАЙОНЫ, КОЭФФИЦИЕНТЫ ПОКРЫТИЯ"
    ),
    "nil": "НЕТ",
    "print": "Печать: Ctrl+P (печать из браузера)",
}

SAM_STRINGS: dict[str, dict[str, str]] = {"en": _EN, "ru": _RU}
"""The SAM's words by language code, then by key."""


def sam_catalogue(code: str) -> Catalogue:
    """Return the SAM's words in language ``code`` (one of :data:`SAM_LANGUAGES`).

    Examples
    --------
    >>> sam_catalogue("ru").text("smc", rcc="MRCC BAKU")
    'КООРДИНАТОР ПСО (SMC): MRCC BAKU'
    """
    if code not in SAM_STRINGS:
        raise InputError(
            f"language={code!r}: the search action message is written in {list(SAM_LANGUAGES)}"
        )
    strings = SAM_STRINGS[code]
    return Catalogue(code=code, name=strings["_name"], direction="ltr", strings=strings)
