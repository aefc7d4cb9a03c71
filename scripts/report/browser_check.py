"""Reads the Quick start's HTML report the way a person does, in headless Chromium
driven by Selenium: the answer block against the figures the script printed, a
hovered point's tooltip, a legend entry that hides its series, a table sorted by a
click, and a screenshot that must not be blank.

Usage: python3 browser_check.py REPORT.html QUICKSTART_OUTPUT WORKDIR
Prints one line per check; exits 1 naming every check that failed.
"""
import os
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from png_check import blank_page_problem

report, quickstart_out, work = sys.argv[1:4]
printed = open(quickstart_out, encoding="utf-8").read()
problems = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        problems.append(what)


os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium reach for a download
options = webdriver.ChromeOptions()
options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1400"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
try:
    driver.get("file://" + os.path.abspath(report))
    driver.save_screenshot(os.path.join(work, "report-top.png"))  # the first screen, untouched (docs/report.md)

    # 1. The answer block comes first and says what the script computed.
    first_section = driver.find_element(By.CSS_SELECTOR, "body > section")
    check(first_section.get_attribute("id") == "answer", "the answer is the first section")
    answer = driver.find_element(By.ID, "answer").text
    cheapest = re.findall(r"cheapest meeting the SLA: concurrency (\d+) at \$([\d.]+) per 1,000 requests", printed)
    check(len(cheapest) >= 2, "the script printed the cheapest level of both simulated sweeps")
    for level, dollars in cheapest:
        said = re.search(r"Run at concurrency %s: the cheapest level meeting the SLA '[^']+', \$([\d.]+) per 1,000 requests"
                         % level, answer)
        # The script prints 3 decimals, the report 3 significant digits.
        check(said is not None and abs(float(said.group(1)) - float(dollars)) <= 0.0006,
              "answer recommends concurrency %s at $%s per 1,000 requests (report: %s)"
              % (level, dollars, said.group(1) if said else "nothing"))

    # 2. Hovering a point of the quality-vs-cost chart shows its exact values.
    row = re.search(r"^medium\s+\d+\s+([\d.]+) ± [\d.]+\s+\d+\s+\$([\d.]+)", printed, re.M)
    check(row is not None, "the script printed the medium model's accuracy and cost")
    figure = next(f for f in driver.find_elements(By.TAG_NAME, "figure") if "quality vs cost" in f.text.lower())
    point = next(p for p in figure.find_elements(By.CSS_SELECTOR, ".pt")
                 if " · medium" in (p.get_attribute("data-tip") or ""))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
    ActionChains(driver).move_to_element(point).perform()
    tooltip = driver.find_element(By.ID, "tooltip")
    text = tooltip.text
    check(tooltip.is_displayed() and "medium" in text, "hovering the medium point shows a tooltip naming it: %r" % text)
    values = [float(v) for v in re.findall(r":\s*([\d.]+)\s*$", text, re.M)]
    if row and len(values) == 2:
        check(abs(values[0] - float(row.group(2))) <= 0.00006, "tooltip cost %s = printed $%s" % (values[0], row.group(2)))
        check(abs(values[1] - float(row.group(1))) <= 0.0006, "tooltip accuracy %s = printed %s" % (values[1], row.group(1)))
    else:
        check(False, "tooltip shows two numbers (cost, accuracy): %r" % text)
    ActionChains(driver).move_to_element(figure.find_element(By.TAG_NAME, "figcaption")).perform()
    check(not tooltip.is_displayed(), "moving away hides the tooltip")
    knee = re.search(r"The knee: ([\w-]+) \(", answer)
    marked = [p.get_attribute("data-tip") or "" for p in figure.find_elements(By.CSS_SELECTOR, ".pt")]
    check(knee is not None and any(t.startswith("knee · " + knee.group(1) + "\n") for t in marked),
          "the answer's knee (%s) is the point the chart marks as the knee" % (knee.group(1) if knee else "none"))

    # A sweep chart's point says which run it is, at which level.
    sweep_point = driver.find_elements(By.CSS_SELECTOR, "figure svg")[0].find_elements(By.CSS_SELECTOR, ".pt")[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sweep_point)
    ActionChains(driver).move_to_element(sweep_point).perform()
    text = tooltip.text
    check(tooltip.is_displayed() and re.search(r"^run \d+$", text, re.M) and "concurrency: " in text,
          "a sweep point's tooltip names its run and level: %r" % text)

    # 3. Clicking a legend entry hides its series; clicking again shows it.
    svg = driver.find_elements(By.CSS_SELECTOR, "figure svg")[0]
    entry = svg.find_element(By.CSS_SELECTOR, ".legend-entry[data-series='0']")
    series = svg.find_element(By.CSS_SELECTOR, "g.series[data-series='0']")
    others = svg.find_elements(By.CSS_SELECTOR, "g.series:not([data-series='0'])")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", entry)
    check(series.is_displayed(), "the first chart's first series is drawn")
    entry.click()
    check(not series.is_displayed() and all(o.is_displayed() for o in others),
          "clicking its legend entry hides it and only it")
    entry.click()
    check(series.is_displayed(), "clicking again brings it back")

    # 4. Clicking a column heading sorts the runs table by it, again reverses.
    table = driver.find_element(By.CSS_SELECTOR, "#runs table")
    heads = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    column = heads.index("req/s")
    heading = table.find_elements(By.CSS_SELECTOR, "thead th")[column]

    def column_values():
        cells = [r.find_elements(By.TAG_NAME, "td")[column].text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        return [float(c.replace(",", "")) for c in cells]

    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", heading)
    heading.click()
    up = column_values()
    check(up == sorted(up) and len(up) >= 3, "sorted ascending by req/s: %s" % up)
    heading.click()
    down = column_values()
    check(down == sorted(up, reverse=True), "sorted descending on a second click")

    # 5. The whole page as a picture: not blank.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 1400), 16000))
    driver.execute_script("window.scrollTo(0, 0)")
    shot = os.path.join(work, "report.png")
    driver.save_screenshot(shot)
    problem = blank_page_problem(shot)
    check(problem is None, "screenshot of the whole page is not blank" + (": " + problem if problem else ""))
finally:
    driver.quit()

if problems:
    print("browser check: %d failed: %s" % (len(problems), "; ".join(problems)), file=sys.stderr)
    sys.exit(1)
print("browser check: ok")
