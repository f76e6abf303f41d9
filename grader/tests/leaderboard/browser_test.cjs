// browser_test.cjs: the leaderboard page in a real headless Chromium.
//
//   node browser_test.cjs PLAYWRIGHT_CORE_DIR CHROMIUM PAGE.html EXPECTED.json [SCREENSHOT.png]
//
// Checks: the page loads offline (no request leaves file://, no script
// error), the ranking shows the expected order, every column of every
// table sorts (and reverses) when its head is clicked, clicking "Rank"
// restores the order, and no hostile student name became markup or ran.
"use strict";
const fs = require("fs");
const path = require("path");

const [pwDir, chromium, page, expectedFile, shot] = process.argv.slice(2);
const { chromium: launcher } = require(path.resolve(pwDir));
const expected = JSON.parse(fs.readFileSync(expectedFile, "utf8"));

let failures = 0;
function check(cond, what, detail) {
  if (cond) console.log("  ok   " + what);
  else {
    failures++;
    console.log("  FAIL " + what + (detail ? "\n       " + detail : ""));
  }
}

function sorted(values, dir) {
  const num = values.every((v) => v !== "" && isFinite(Number(v)));
  for (let i = 1; i < values.length; i++) {
    const a = num ? Number(values[i - 1]) : values[i - 1];
    const b = num ? Number(values[i]) : values[i];
    if (dir === "ascending" ? a > b : a < b) return false;
  }
  return true;
}

(async () => {
  const t0 = Date.now();
  let browser;
  try {
    browser = await launcher.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
  } catch (e) {
    // The machine's browser does not start (a snap wrapper, no display
    // libraries...): not a fault of the page. Exit 77 = skipped.
    console.log("  SKIP browser test: " + chromium + " does not start: " + String(e.message || e).split("\n")[0]);
    process.exit(77);
  }
  const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 900 } });
  const p = await context.newPage();
  const requests = [];
  const errors = [];
  p.on("request", (r) => requests.push(r.url()));
  p.on("pageerror", (e) => errors.push(String(e)));
  p.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await p.goto("file://" + path.resolve(page));
  await p.waitForSelector("html[data-ready='1']", { timeout: 10000 });

  const foreign = requests.filter((u) => !u.startsWith("file://"));
  check(foreign.length === 0, "loads offline: no request leaves file://", foreign.join(" "));
  check(errors.length === 0, "no script errors", errors.join(" | "));

  const names = () => p.$$eval("#ranking tbody tr td.name", (tds) => tds.map((td) => td.textContent));
  const got = await names();
  check(got.length === expected.students, `ranking shows ${expected.students} students`, `got ${got.length}`);
  check(JSON.stringify(got) === JSON.stringify(expected.order), "rank order is score, then first reached, then file order; not graded last",
        got.map((n, i) => (n === expected.order[i] ? "" : `#${i + 1}: got ${n}, want ${expected.order[i]}`)).filter(Boolean).slice(0, 5).join("; "));
  const ungraded = await p.$$eval("#ranking tr.ungraded .badge.ungraded", (l) => l.length);
  check(ungraded === expected.ungraded, `${expected.ungraded} students not graded, each with its reason`, `got ${ungraded}`);
  const builds = await p.$$eval("#ranking .badge.build", (l) => l.length);
  check(builds === expected.build_errors, `${expected.build_errors} students with a build-error badge`, `got ${builds}`);
  const findings = await p.$$eval("#ranking .badge.integrity", (l) => l.length);
  check(findings === expected.integrity, `${expected.integrity} students with an integrity badge`, `got ${findings}`);
  const hatched = await p.$$eval("#heatmap td.cell.build", (l) => l.length);
  check(hatched === expected.build_errors, `heat map: ${expected.build_errors} build errors hatched, not coloured as 0 points`);
  const skipped = await p.$$eval("ul.skipped li", (l) => l.length);
  check(skipped === expected.skipped, `lists the ${expected.skipped} skipped files`, `got ${skipped}`);

  // Hostile names are text, not markup, and nothing they carry ran.
  check((await p.$$("#ranking img, #ranking script, body > script + script")).length === 0, "no element injected by a student name");
  check(await p.evaluate(() => window.__pwned === undefined), "no script from a student name ran");
  check(got.includes('<img src=x onerror="window.__pwned=1">'), "a hostile name is shown as its literal text");

  // Every column of every sortable table: first click sorts in the
  // column's first direction, the second reverses it. The ranking is
  // clicked through Playwright (real mouse events); the wide heat map and
  // the performance board by th.click() inside the page, which is faster.
  for (const table of ["ranking", "heatmap", "perf"]) {
    const n = await p.$$eval(`#${table} thead th`, (h) => h.length);
    let ok = true, detail = "";
    for (let c = 0; c < n; c++) {
      for (let click = 0; click < 2; click++) {
        let res;
        if (table === "ranking") {
          await p.click(`#${table} thead th:nth-child(${c + 1})`);
          res = await p.$eval(`#${table}`, (t, col) => ({
            dir: t.tHead.rows[0].cells[col].getAttribute("aria-sort"),
            vals: Array.from(t.tBodies[0].rows, (r) => r.cells[col].getAttribute("data-v")) }), c);
        } else {
          res = await p.$eval(`#${table}`, (t, col) => {
            t.tHead.rows[0].cells[col].click();
            return { dir: t.tHead.rows[0].cells[col].getAttribute("aria-sort"),
                     vals: Array.from(t.tBodies[0].rows, (r) => r.cells[col].getAttribute("data-v")) };
          }, c);
        }
        if (!res.dir || !sorted(res.vals, res.dir)) {
          ok = false;
          detail = `column ${c} not ${res.dir}: ${res.vals.slice(0, 6).join(",")}`;
        }
      }
    }
    check(ok && n > 0, `#${table}: each of its ${n} columns sorts both ways`, detail);
  }
  await (await p.$("#ranking thead th[data-col='rank']")).click();
  const back = await names();
  check(JSON.stringify(back) === JSON.stringify(expected.order), "clicking Rank restores the rank order");
  const bars = await p.$$eval("#ranking .bar > span", (s) => s.length);
  check(bars > 0, `per-chapter progress bars drawn (${bars})`);
  const cells = await p.$$eval("#heatmap td.cell", (s) => s.length);
  check(cells === expected.students * expected.exercises, `heat map has one cell per student and exercise (${cells})`);
  const perfRows = await p.$$eval("#perf tbody tr", (s) => s.length);
  check(perfRows > 0, `performance board lists ${perfRows} students`);

  if (shot) {
    await p.screenshot({ path: shot, fullPage: false });
    console.log("  screenshot: " + shot);
  }
  await browser.close();
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s in Chromium)`);
  process.exit(failures ? 1 : 0);
})().catch((e) => {
  console.log("  FAIL browser test crashed: " + (e && e.stack ? e.stack : e));
  process.exit(1);
});
