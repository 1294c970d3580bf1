// Strings of the map page, one catalogue per language. To add Azerbaijani (az), Farsi (fa,
// with dir "rtl"), Kazakh (kk) or Turkmen (tk): copy the "en" block, translate the values,
// and add the code to littoral.services.accounts.LANGUAGES. A missing key falls back to English.
"use strict";
const CATALOGUES = {
  en: {
    _name: "English", _dir: "ltr",
    "login.subtitle": "Caspian maritime picture and search and rescue",
    "login.name": "User name", "login.password": "Password", "login.submit": "Log in",
    "login.failed": "Wrong user name or password", "login.limited": "Too many attempts; wait and try again",
    logout: "Log out",
    "live.on": "live", "live.offline": "offline", "live.stale": "no data for",
    "live.waiting": "no feed yet",
    "tab.alerts": "Alerts", "tab.vessel": "Vessel", "tab.cases": "SAR cases",
    "alerts.open": "Open", "alerts.acknowledged": "Acknowledged", "alerts.closed": "Closed",
    "alerts.none": "No alerts", "alerts.ack": "Acknowledge", "alerts.close": "Close",
    "alerts.comment": "Comment", "alerts.case": "Open SAR case", "alerts.by": "by",
    "alerts.sound": "Sound on distress", "alerts.distress": "DISTRESS: not acknowledged",
    "vessel.none": "Click a vessel on the map.", "vessel.name": "Name", "vessel.mmsi": "MMSI",
    "vessel.callsign": "Call sign", "vessel.imo": "IMO", "vessel.flag": "Flag",
    "vessel.type": "Type", "vessel.position": "Position", "vessel.sog": "Speed",
    "vessel.cog": "Course", "vessel.heading": "Heading", "vessel.length": "Length",
    "vessel.destination": "Destination", "vessel.seen": "Last report", "vessel.track": "Track points",
    "vessel.littoral": "littoral state", "vessel.foreign": "non-littoral",
    "cases.new": "New case", "cases.create": "Open case", "cases.none": "No cases",
    "cases.back": "All cases",
    "case.title": "Title", "case.lat": "Latitude (41 30.5 N)", "case.lon": "Longitude (050 12.0 E)",
    "case.time": "Time of datum (UTC)", "case.object": "Search object (Leeway class)",
    "case.persons": "Persons", "case.state": "State", "case.status": "Status",
    "case.datum": "Datum", "case.readonly": "Another state's case: read only",
    "case.environment": "On-scene wind and current", "case.wind_from": "Wind from (°)",
    "case.wind_kn": "Wind (kn)", "case.current_to": "Current toward (°)", "case.current_kn": "Current (kn)",
    "case.visibility": "Visibility (NM)", "case.save": "Save",
    "case.forcing": "Forcing file (NetCDF)", "case.upload": "Upload",
    "case.drift": "Drift", "case.run_drift": "Run drift", "case.hours": "Hours",
    "case.particles": "Particles", "case.time_slider": "Time",
    "case.units": "Search units", "case.add_unit": "Commit unit", "case.unit_name": "Unit",
    "case.platform": "Platform", "case.speed": "Speed (kn)", "case.endurance": "Endurance (h)",
    "case.plan": "Search plan", "case.run_plan": "Plan search", "case.pos": "POS",
    "case.gpx": "Completed search (GPX)", "case.sitrep": "SITREP", "case.print": "Printable",
    "case.close": "Close case", "case.outcome": "Outcome", "case.log": "Case log",
    "case.progress": "Progress", "case.area": "Area", "case.spacing": "Spacing",
    "case.pod": "POD", "case.poc": "POC", "case.csp": "CSP",
    "outcome.rescued": "Rescued", "outcome.found_dead": "Found dead", "outcome.not_found": "Not found",
    "outcome.false_alarm": "False alarm", "outcome.self_resolved": "Resolved", "outcome.other": "Other",
    "legend.littoral": "Littoral flag", "legend.foreign": "Other flag",
    "unit.nm": "NM", "unit.kn": "kn", "unit.h": "h", vessels: "vessels",
    "case.of_optimum": "of the optimum", "platform.vessel": "vessel",
    "platform.helicopter": "helicopter", "platform.aircraft": "aircraft",
  },
  ru: {
    _name: "Русский", _dir: "ltr",
    "login.subtitle": "Морская обстановка и поиск и спасание на Каспии",
    "login.name": "Имя пользователя", "login.password": "Пароль", "login.submit": "Войти",
    "login.failed": "Неверное имя или пароль", "login.limited": "Слишком много попыток; подождите",
    logout: "Выйти",
    "live.on": "в эфире", "live.offline": "нет связи", "live.stale": "нет данных",
    "live.waiting": "нет потока",
    "tab.alerts": "Тревоги", "tab.vessel": "Судно", "tab.cases": "Случаи ПСО",
    "alerts.open": "Открытые", "alerts.acknowledged": "Принятые", "alerts.closed": "Закрытые",
    "alerts.none": "Нет тревог", "alerts.ack": "Принять", "alerts.close": "Закрыть",
    "alerts.comment": "Комментарий", "alerts.case": "Открыть случай ПСО", "alerts.by": "кем",
    "alerts.sound": "Звук при бедствии", "alerts.distress": "БЕДСТВИЕ: не принято",
    "vessel.none": "Выберите судно на карте.", "vessel.name": "Название", "vessel.mmsi": "MMSI",
    "vessel.callsign": "Позывной", "vessel.imo": "ИМО", "vessel.flag": "Флаг",
    "vessel.type": "Тип", "vessel.position": "Место", "vessel.sog": "Скорость",
    "vessel.cog": "Курс", "vessel.heading": "Курс по компасу", "vessel.length": "Длина",
    "vessel.destination": "Порт назначения", "vessel.seen": "Последнее сообщение",
    "vessel.track": "Точек трека", "vessel.littoral": "прикаспийское государство",
    "vessel.foreign": "неприкаспийское",
    "cases.new": "Новый случай", "cases.create": "Открыть случай", "cases.none": "Нет случаев",
    "cases.back": "Все случаи",
    "case.title": "Название", "case.lat": "Широта (41 30.5 N)", "case.lon": "Долгота (050 12.0 E)",
    "case.time": "Время (UTC)", "case.object": "Объект поиска (класс Leeway)",
    "case.persons": "Людей", "case.state": "Государство", "case.status": "Состояние",
    "case.datum": "Исходная точка", "case.readonly": "Случай другого государства: только чтение",
    "case.environment": "Ветер и течение в районе", "case.wind_from": "Ветер откуда (°)",
    "case.wind_kn": "Ветер (уз)", "case.current_to": "Течение куда (°)", "case.current_kn": "Течение (уз)",
    "case.visibility": "Видимость (мили)", "case.save": "Сохранить",
    "case.forcing": "Файл прогноза (NetCDF)", "case.upload": "Загрузить",
    "case.drift": "Дрейф", "case.run_drift": "Рассчитать дрейф", "case.hours": "Часов",
    "case.particles": "Частиц", "case.time_slider": "Время",
    "case.units": "Поисковые единицы", "case.add_unit": "Выделить единицу", "case.unit_name": "Единица",
    "case.platform": "Тип", "case.speed": "Скорость (уз)", "case.endurance": "Автономность (ч)",
    "case.plan": "План поиска", "case.run_plan": "Спланировать поиск", "case.pos": "Вероятность успеха",
    "case.gpx": "Выполненный поиск (GPX)", "case.sitrep": "SITREP", "case.print": "Для печати",
    "case.close": "Закрыть случай", "case.outcome": "Исход", "case.log": "Журнал",
    "case.progress": "Ход расчёта", "case.area": "Район", "case.spacing": "Интервал",
    "case.pod": "Вер. обнаружения", "case.poc": "Вер. нахождения", "case.csp": "Точка начала",
    "outcome.rescued": "Спасены", "outcome.found_dead": "Найдены погибшими", "outcome.not_found": "Не найдены",
    "outcome.false_alarm": "Ложная тревога", "outcome.self_resolved": "Разрешилось", "outcome.other": "Другое",
    "legend.littoral": "Прикаспийский флаг", "legend.foreign": "Другой флаг",
    "unit.nm": "миль", "unit.kn": "уз", "unit.h": "ч", vessels: "судов",
    "case.of_optimum": "от оптимума", "platform.vessel": "судно",
    "platform.helicopter": "вертолёт", "platform.aircraft": "самолёт",
  },
};

let currentLanguage = "en";

function t(key) {
  const own = CATALOGUES[currentLanguage] || CATALOGUES.en;
  return own[key] !== undefined ? own[key] : (CATALOGUES.en[key] !== undefined ? CATALOGUES.en[key] : key);
}

function applyLanguage(code) {
  currentLanguage = CATALOGUES[code] ? code : "en";
  document.documentElement.lang = currentLanguage;
  document.documentElement.dir = t("_dir");
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
}
