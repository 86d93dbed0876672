// What every end-to-end scenario shares: the browser, what it reports, steps with screenshots,
// the summary, and helpers for fe-core's pages (material-ui inputs, menus, login, searchers,
// dialogs, forms).
//
// A scenario script calls `open("<name>")`, runs its `step(...)`s and ends with `finish()`.
// Every step saves a screenshot to $E2E_ARTIFACTS/<name>/<nn>-<step>.png. A step fails when its
// action fails, or when during it the browser logs a console error or an /api/ request fails
// (HTTP error, network failure, or a GraphQL answer carrying `errors`). A step whose
// prerequisites could not be done is reported as skipped; the others still run. `finish()`
// writes <name>/results.json and exits with 1 on any failure.
//
// env: E2E_BASE_URL, E2E_ARTIFACTS, CHROMIUM_PATH (set by `cargo xtask e2e`).

import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000";
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "target/e2e";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const TIMEOUT = 20_000;

/** Unique per run (five characters, upper case), so a rerun against the same database never
 * collides. */
export const RUN = Date.now().toString(36).slice(-5).toUpperCase();

let browser;
/** The scenario's page (a live binding: set by `open`). */
export let page;
let scenarioDir = ARTIFACTS;

/** Starts Chromium for the scenario `name`; its screenshots go to $E2E_ARTIFACTS/<name>/. */
export async function open(name) {
  scenarioDir = join(ARTIFACTS, name);
  mkdirSync(scenarioDir, { recursive: true });
  console.log(`scenario ${name} (run ${RUN})`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  page = await context.newPage();
  watch(page);
  return page;
}

// ---------------------------------------------------------------------------------------------
// What the browser reports: console errors and failed /api/ requests, attributed to the step
// that is running.

const problems = [];
let currentStep = "startup";

function record(kind, detail) {
  problems.push({ step: currentStep, kind, detail });
  console.log(`    ! ${kind}: ${detail}`);
}

/** Logged out, the frontend probes `refreshToken` and `current_user`; their 401 is the protocol. */
function isLoggedOutProbe(request, status, cookie) {
  if (status !== 401 || cookie.includes("JWT=")) return false;
  if (request.url().endsWith("/api/core/users/current_user/")) return true;
  return (request.postData() ?? "").includes("refreshToken");
}

/** The /api/ requests sent and not yet answered (or failed). */
const inFlight = new Set();

function watch(page) {
  page.on("request", (request) => {
    if (request.url().includes("/api/")) inFlight.add(request);
  });
  page.on("requestfinished", (request) => inFlight.delete(request));
  page.on("requestfailed", (request) => inFlight.delete(request));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const url = message.location()?.url ?? "";
    // A failed /api/ load is recorded (with its answer) by the response listener below.
    if (message.text().startsWith("Failed to load resource") && url.includes("/api/")) return;
    // `GET /keepLegacyAlive` (outside /api) is fire-and-forget; the frontend ignores its answer.
    if (url.includes("/keepLegacyAlive")) return;
    record("console error", `${message.text()}${url ? ` (${url})` : ""}`);
  });
  page.on("pageerror", (error) => record("page error", error.message));
  page.on("requestfailed", (request) => {
    // A request the page abandons itself (a navigation or reload while it was in flight:
    // `net::ERR_ABORTED`) never reached an answer to judge; a server that fails shows as
    // another error (connection refused or reset, empty response) or in its answer.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    if (request.url().includes("/api/")) {
      record("request failed", `${describe(request)}: ${request.failure()?.errorText}`);
    }
  });
  page.on("response", async (response) => {
    const request = response.request();
    if (!request.url().includes("/api/")) return;
    let body = "";
    try {
      body = await response.text();
    } catch {
      // A navigation can discard the body; the status is still known.
    }
    const status = response.status();
    const operation = describe(request);
    if (status >= 400) {
      const cookie = (await request.allHeaders())["cookie"] ?? "";
      if (!isLoggedOutProbe(request, status, cookie)) {
        record("api failed", `${status} ${operation}: ${body.slice(0, 400)}`);
      }
      return;
    }
    if (body.includes('"errors"')) {
      try {
        const errors = JSON.parse(body).errors ?? [];
        if (errors.length) {
          record("graphql error", `${operation}: ${errors.map((e) => e.message).join(" | ")}`);
        }
      } catch {
        // Not JSON: the status already tells.
      }
    }
  });
}

/** `POST graphql {userDistricts}` or `GET /api/core/users/current_user/`. */
function describe(request) {
  if (request.method() !== "POST") return `${request.method()} ${new URL(request.url()).pathname}`;
  const query = (() => {
    try {
      return JSON.parse(request.postData() ?? "{}").query ?? "";
    } catch {
      return request.postData() ?? "";
    }
  })();
  const field = query.replace(/\s+/g, " ").match(/^\s*(?:(?:query|mutation)\s*\w*\s*(?:\([^)]*\))?\s*)?\{\s*(?:\w+\s*:\s*)?(\w+)/);
  return `POST ${new URL(request.url()).pathname} {${field ? field[1] : query.slice(0, 60)}}`;
}

// ---------------------------------------------------------------------------------------------
// Steps: each has prerequisites; a failed prerequisite skips it.

const results = [];

export async function step(name, needs, action) {
  const index = String(results.length + 1).padStart(2, "0");
  // A step whose action worked but saw problems failed, yet its screen is there to go on from.
  const missing = needs.filter((need) => !results.some((r) => r.name === need && r.actionDone));
  if (missing.length) {
    results.push({ name, outcome: "skipped", reason: `needs ${missing.join(", ")}` });
    console.log(`${index} ${name}: skipped (needs ${missing.join(", ")})`);
    return;
  }
  currentStep = name;
  console.log(`${index} ${name}`);
  const before = problems.length;
  let failure = null;
  try {
    await action();
    await settle();
  } catch (error) {
    failure = summary(error);
  }
  await page.screenshot({ path: join(scenarioDir, `${index}-${name}.png`), fullPage: true }).catch(() => {});
  const seen = problems.slice(before);
  const outcome = failure || seen.length ? "failed" : "passed";
  results.push({ name, outcome, failure, actionDone: !failure, problems: seen });
  console.log(`   ${outcome}${failure ? `: ${failure}` : ""}`);
}

/** The first line of a playwright error, plus what it was waiting for. */
function summary(error) {
  // eslint-disable-next-line no-control-regex
  const lines = error.message.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((line) => line.trim());
  const waiting = lines.find((line) => line.startsWith("- waiting for"));
  return waiting ? `${lines[0]} (${waiting.slice(2)})` : lines[0];
}

/** Closes the browser, prints the summary, writes results.json; exit code 1 on any failure. */
export async function finish() {
  await browser.close();
  const failed = results.filter((r) => r.outcome !== "passed");
  console.log("\nsummary");
  for (const [i, r] of results.entries()) {
    console.log(`  ${String(i + 1).padStart(2, "0")} ${r.name.padEnd(20)} ${r.outcome}${r.failure ? `: ${r.failure}` : ""}${r.reason ? ` (${r.reason})` : ""}`);
    for (const p of r.problems ?? []) console.log(`       ${p.kind}: ${p.detail}`);
  }
  writeFileSync(join(scenarioDir, "results.json"), JSON.stringify({ results, problems }, null, 2));
  console.log(`\nscreenshots and results.json in ${scenarioDir}`);
  process.exit(failed.length ? 1 : 0);
}

/** How long no /api/ request may be in flight for a screen to count as settled: a screen's
 * components ask for their lists when they mount, some after a short random delay (fe-insuree's
 * officer picker, up to 300 ms). */
const QUIET_MS = 500;

/** Lets the requests a screen started come back before the step is judged, or before a reload
 * or a navigation aborts them: the page's load, then no /api/ request in flight for QUIET_MS
 * (`networkidle` alone is reached once per load, not after every action). */
export async function settle() {
  await page.waitForLoadState("networkidle", { timeout: TIMEOUT }).catch(() => {});
  const deadline = Date.now() + TIMEOUT;
  let quietSince = inFlight.size ? null : Date.now();
  while (Date.now() < deadline) {
    if (inFlight.size) quietSince = null;
    else if (quietSince === null) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) return;
    await page.waitForTimeout(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Page helpers: fe-core renders material-ui inputs whose <label> is not linked to the input.

/** The material-ui form control labelled `label` (its first text, before the required
 * asterisk). */
export function formControl(scope, label) {
  return scope
    .locator(`xpath=.//div[contains(@class,"MuiFormControl-root")][./label[normalize-space(text()[1])="${label}"]]`)
    .first();
}

/** The input (or a multiline one's textarea) of the material-ui form control labelled
 * `label`. */
export function field(scope, label) {
  return formControl(scope, label).locator("input, textarea").first();
}

/** Waits until `operation` (a GraphQL field name) is answered; start it before the action. */
export function answerTo(operation) {
  return page.waitForResponse((response) => (response.request().postData() ?? "").includes(operation));
}

/** Fills a fe-core ValidatedTextInput. Its change reaches the form after a debounce, and the
 * server check (`operation`) runs once it has: wait for that answer, or a later field's change
 * would be overwritten by this one's stale form state. */
export async function fillValidated(label, value, operation) {
  const checked = answerTo(operation);
  await field(page, label).fill(value);
  await checked;
  await settle();
}

/** Chooses `optionText` in the material-ui Select labelled `label`. */
export async function pickSelect(scope, label, optionText) {
  await formControl(scope, label).locator(`xpath=.//div[@role="button"]`).first().click();
  await page.getByRole("option", { name: optionText, exact: true }).click();
}

export async function pickAutocomplete(scope, label, optionText) {
  const input = field(scope, label);
  await input.click();
  await input.fill(optionText.slice(0, 4));
  await page.getByRole("option", { name: optionText, exact: false }).first().click({ timeout: TIMEOUT });
}

/** What the form control labelled `label` shows: a material-ui Select's chosen option, or an
 * input's value (a read-only picker is a text input). */
async function shown(scope, label) {
  const control = formControl(scope, label);
  const select = control.locator(`xpath=.//div[@role="button"]`);
  if (await select.count()) return ((await select.first().textContent({ timeout: TIMEOUT })) ?? "").trim();
  return field(scope, label).inputValue({ timeout: TIMEOUT });
}

/** Waits until the form control labelled `label` shows `expected` (a string or a RegExp). */
export async function expectShown(scope, label, expected) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = await shown(scope, label);
    if (typeof expected === "string" ? value === expected : expected.test(value)) return;
    if (Date.now() > deadline) throw new Error(`"${label}" shows "${value}", expected ${expected}`);
    await page.waitForTimeout(200);
  }
}

/** fe-core's LogoutButton: an icon button whose tooltip (native title) is "Log out". */
export function logoutButton() {
  return page.getByTitle("Log out");
}

/** The main menu's "Administration" button (located by text: an open dialog hides the page
 * from the accessibility tree). */
export function adminMenuButton() {
  return menuButton("Administration");
}

/** A main menu's button in the header ("Administration", "Insurees and Policies"). */
export function menuButton(menu) {
  return page.locator("header button", { hasText: menu });
}

export async function openMenu(menu, entry) {
  await menuButton(menu).click();
  await page.getByRole("menuitem", { name: entry, exact: true }).click();
}

export async function openAdminMenu(entry) {
  await openMenu("Administration", entry);
}

/** Opens entry `entry` of main menu `menu` and waits for its page. After a save the form
 * re-renders the header while the menu opens, which can swallow the click (seen once in CI:
 * the menu stayed open on the saved form), so the menu is tried again, three times at most. */
export async function gotoMenuPage(menu, entry, url) {
  for (let attempt = 1; ; attempt++) {
    await openMenu(menu, entry);
    try {
      await page.waitForURL(url, { timeout: 5_000 });
      // An entry of the page already shown leaves the menu open: it is closed.
      if (await page.getByRole("menu").first().isVisible()) await page.keyboard.press("Escape");
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press("Escape");
    }
  }
}

/** Opens an admin menu entry and waits for its page (`gotoMenuPage`). */
export async function gotoAdminPage(entry, url) {
  await gotoMenuPage("Administration", entry, url);
}

/** The page's floating action buttons (fe-core's Form and searchers): add, save. */
export function fab() {
  return page.locator("button.MuiFab-root");
}

export async function login(username, password) {
  await page.getByRole("button", { name: /log in/i }).waitFor({ timeout: TIMEOUT });
  await field(page, "Username").fill(username);
  await field(page, "Password").fill(password);
  const currentUser = page.waitForResponse(
    (response) => response.url().endsWith("/api/core/users/current_user/") && response.status() === 200,
  );
  await page.getByRole("button", { name: /log in/i }).click();
  const who = await (await currentUser).json();
  if (who.username !== username) throw new Error(`logged in as ${who.username}, expected ${username}`);
  await page.waitForURL(/\/front\/home/, { timeout: TIMEOUT });
  await logoutButton().waitFor({ timeout: TIMEOUT });
}

/** The two first steps of every scenario: the login page, then the home page as Admin. */
export async function loginAsAdmin() {
  await step("login-page", [], async () => {
    await page.goto(`${BASE}/`);
    await page.waitForURL(/\/front\/login/, { timeout: TIMEOUT });
    await field(page, "Username").waitFor();
  });
  await step("admin-home", ["login-page"], async () => {
    await login("Admin", "admin123");
    await adminMenuButton().waitFor();
  });
}

/** An amount as the server answers it: "125", "125.0" or "125.00". */
export function amount(value) {
  return new RegExp(`^${value}(\\.0+)?$`);
}

// ---------------------------------------------------------------------------------------------
// Searchers (fe-core's Searcher): a filter field narrows the list (from the server) to the new
// record.

/** The searcher's result row holding `text`. */
export function row(text) {
  return page.locator("tbody tr", { hasText: text }).first();
}

/** Types `value` in the searcher's filter `label` and applies the filters (fe-core's searcher
 * only records a changed filter: its Refresh button runs the search) until the server lists a
 * row holding it (a mutation that was just answered may take a moment to land): three tries. */
export async function searchUntilListed(label, value) {
  // The page's first, unfiltered, answer must not land after the filtered one.
  await settle();
  await field(page, label).fill(value);
  for (let attempt = 1; ; attempt++) {
    const searched = answerTo(value);
    await page.getByRole("button", { name: /refresh/i }).first().click();
    await searched;
    try {
      await row(value).waitFor({ timeout: 5_000 });
      return row(value);
    } catch (error) {
      if (attempt === 3) throw new Error(`the list shows no row with ${value} after ${attempt} searches`);
    }
  }
}

/** Opens the record of a searcher's row (fe-core searchers open on double click). */
export async function openRow(text, url) {
  await row(text).dblclick();
  await page.waitForURL(url);
  await settle();
}

// ---------------------------------------------------------------------------------------------
// Dialogs and forms.

/** The open dialog (material-ui may stack two while one closes and the next opens). */
export function dialog() {
  return page.getByRole("dialog").last();
}

/** Waits until no dialog is open. */
export async function noDialog() {
  await page.waitForFunction(() => !document.querySelector('[role="dialog"]'), null, { timeout: TIMEOUT });
}

/** Saves fe-core's Form (its last floating button) and waits for the mutation's answer. */
export async function saveForm(mutation) {
  const answered = answerTo(mutation);
  await fab().last().click();
  const answer = await answered;
  const body = await answer.json().catch(() => ({}));
  if (body.errors?.length) throw new Error(`${mutation}: ${body.errors.map((e) => e.message).join(" | ")}`);
  await settle();
}

/** Checks a saved form, then reloads its page and checks it again, from the server. */
export async function checkAndReload(check) {
  await check();
  await settle();
  await page.reload();
  await settle();
  await check();
}

// ---------------------------------------------------------------------------------------------
// What the pages show, and reading the server's answers back.

/** Chooses `option` in the picker labelled `label`: fe-core's pickers are material-ui selects
 * when they hold few options (the districts of the user, up to ten officers) and autocompletes
 * otherwise (a municipality's villages), which list their options when opened. */
export async function choose(label, option) {
  if (await formControl(page, label).locator(`xpath=.//div[@role="button"]`).count()) {
    await pickSelect(page, label, option);
    return;
  }
  await field(page, label).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** Reloads the page and answers the server's answers to `operations` (GraphQL fields or
 * operation names the page asks for while it loads), parsed, in that order. */
export async function reloadReading(operations) {
  await settle();
  const answers = operations.map((operation) => answerTo(operation).then((answer) => answer.json()));
  await page.reload();
  const parsed = await Promise.all(answers);
  await settle();
  return parsed;
}

/** An ISO date (YYYY-MM-DD, the server's) as fe-core's date pickers ("DMY") and tables ("YMD")
 * show it. */
export function shownDate(iso, order = "DMY") {
  const [year, month, day] = iso.slice(0, 10).split("-");
  return order === "DMY" ? `${day}-${month}-${year}` : `${year}-${month}-${day}`;
}

/** Today as the server writes it (YYYY-MM-DD, local time as the browser's). */
export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** An amount as fe-core's AmountInput shows it ("1,500.00"). */
export function shownAmount(value) {
  return Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
