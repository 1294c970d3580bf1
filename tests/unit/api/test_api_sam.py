"""The search action message over HTTP: text, printable page, language and plan chosen."""

from __future__ import annotations

from api_env import Env
from test_api_runs import ENVIRONMENT, open_case, wait


def test_sam_of_the_latest_plan_as_text_and_page(env: Env) -> None:
    az = env.login("coord.az")
    cid = open_case(env, az)
    env.client.put(f"/api/cases/{cid}/environment", json=ENVIRONMENT, headers=az)
    none_yet = env.client.get(f"/api/cases/{cid}/sam", headers=az)
    assert none_yet.status_code == 422
    assert "no finished plan" in none_yet.json()["reason"]
    env.client.post(
        f"/api/cases/{cid}/units",
        json={"name": "SAR-1", "platform": "vessel", "speed_kn": 12, "endurance_h": 6},
        headers=az,
    )
    plan = env.client.post(
        f"/api/cases/{cid}/plan", json={"start_time": "2026-05-01T14:00:00Z"}, headers=az
    ).json()
    assert wait(env, plan, az)["status"] == "done"
    ru = env.login("coord.ru")  # another centre reads the message too
    text = env.client.get(f"/api/cases/{cid}/sam", headers=ru)
    assert text.status_code == 200
    assert text.headers["content-type"].startswith("text/plain")
    for title in ("1. SITUATION", "2. SEARCH AREAS", "3. EXECUTION", "4. CO-ORDINATION"):
        assert title in text.text
    assert f"(PLAN {plan['id']})" in text.text
    assert "OSC: SAR-1" in text.text
    page = env.client.get(f"/api/cases/{cid}/sam.html?lang=ru&osc=SAR-1", headers=ru)
    assert page.headers["content-type"].startswith("text/html")
    assert "3. ВЫПОЛНЕНИЕ" in page.text
    assert "@media print" in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    # no script may run here, so no button that would need one: the page says how to print
    assert "onclick" not in page.text
    assert "Ctrl+P" in page.text
    for query, what in (("lang=az", "lang"), ("plan=999", "plan=999"), ("osc=X", "osc='X'")):
        bad = env.client.get(f"/api/cases/{cid}/sam?{query}", headers=az)
        assert bad.status_code == 422, query
        assert what in bad.text
