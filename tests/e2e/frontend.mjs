// The real openIMIS frontend (published @openimis/fe-* packages, served by this server at
// /front/) in headless Chromium: log in as Admin, home page, locations (a region and a district
// under it), users (a new user with a role), log out, log in as the new user.
//
// Every step saves a screenshot to $E2E_ARTIFACTS/<nn>-<step>.png. A step fails when its
// action fails, or when during it the browser logs a console error or an /api/ request fails
// (HTTP error, network failure, or a GraphQL answer carrying `errors`). A step whose
// prerequisites could not be done is reported as skipped; the others still run. Exit code 1 on
// any failure.
//
// Run by `cargo xtask e2e` (which starts the server); env: E2E_BASE_URL, E2E_ARTIFACTS,
// CHROMIUM_PATH.

import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000";
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? "target/e2e";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TIMEOUT = 20_000;

// Unique per run, so a rerun against the same database never collides.
const RUN = Date.now().toString(36).slice(-5).toUpperCase();
const REGION = { code: `R${RUN}`, name: `E2E Region ${RUN}` };
const DISTRICT = { code: `D${RUN}`, name: `E2E District ${RUN}` };
const USER = {
  username: `e2e${RUN.toLowerCase()}`,
  otherNames: "Erin",
  lastName: `Tester${RUN}`,
  email: `e2e.${RUN.toLowerCase()}@example.org`,
  password: `Xk9!mPq2#${RUN}vw`,
  role: "Enrolment Officer",
};

mkdirSync(ARTIFACTS, { recursive: true });

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

function watch(page) {
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
    if (request.url().includes("/api/")) {
      record("request failed", `${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
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
  const field = query.replace(/\s+/g, " ").match(/^\s*(?:(?:query|mutation)\s*\w*\s*(?:\([^)]*\))?\s*)?\{\s*(\w+)/);
  return `POST ${new URL(request.url()).pathname} {${field ? field[1] : query.slice(0, 60)}}`;
}

// ---------------------------------------------------------------------------------------------
// Steps: each has prerequisites; a failed prerequisite skips it.

const results = [];

async function step(name, needs, action) {
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
  await page.screenshot({ path: join(ARTIFACTS, `${index}-${name}.png`), fullPage: true }).catch(() => {});
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

/** Lets the requests a screen started come back before the step is judged. */
async function settle() {
  await page.waitForLoadState("networkidle", { timeout: TIMEOUT }).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Page helpers: fe-core renders material-ui inputs whose <label> is not linked to the input.

/** The input of the material-ui form control labelled `label` (its first text, before the
 * required asterisk). */
function field(scope, label) {
  return scope
    .locator(`xpath=.//div[contains(@class,"MuiFormControl-root")][./label[normalize-space(text()[1])="${label}"]]//input`)
    .first();
}

/** Fills a fe-core ValidatedTextInput. Its change reaches the form after a debounce, and the
 * server check (`operation`) runs once it has: wait for that answer, or a later field's change
 * would be overwritten by this one's stale form state. */
async function fillValidated(label, value, operation) {
  const checked = page.waitForResponse((response) => (response.request().postData() ?? "").includes(operation));
  await field(page, label).fill(value);
  await checked;
  await settle();
}

/** Chooses `optionText` in the material-ui Select labelled `label`. */
async function pickSelect(scope, label, optionText) {
  await scope
    .locator(`xpath=.//div[contains(@class,"MuiFormControl-root")][./label[normalize-space(text()[1])="${label}"]]//div[@role="button"]`)
    .first()
    .click();
  await page.getByRole("option", { name: optionText, exact: true }).click();
}

async function pickAutocomplete(scope, label, optionText) {
  const input = field(scope, label);
  await input.click();
  await input.fill(optionText.slice(0, 4));
  await page.getByRole("option", { name: optionText, exact: false }).first().click({ timeout: TIMEOUT });
}

/** fe-core's LogoutButton: an icon button whose tooltip (native title) is "Log out". */
function logoutButton() {
  return page.getByTitle("Log out");
}

/** The main menu's "Administration" button (located by text: an open dialog hides the page
 * from the accessibility tree). */
function adminMenuButton() {
  return page.locator("header button", { hasText: "Administration" });
}

async function openAdminMenu(entry) {
  await adminMenuButton().click();
  await page.getByRole("menuitem", { name: entry, exact: true }).click();
}

/** Opens an admin menu entry and waits for its page. After a save the form re-renders the
 * header while the menu opens, which can swallow the click (seen once in CI: the menu stayed
 * open on the saved form), so the menu is tried again, three times at most. */
async function gotoAdminPage(entry, url) {
  for (let attempt = 1; ; attempt++) {
    await openAdminMenu(entry);
    try {
      await page.waitForURL(url, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press("Escape");
    }
  }
}

/** The paper (Regions, Districts, ...) of the locations page with that title. */
function locationsPaper(title) {
  return page.locator(`xpath=//div[contains(@class,"MuiPaper-root")][.//*[normalize-space(.)="${title}"]]`).last();
}

/** Adds a location in a paper's dialog. The page lists the new row locked until the paper is
 * refreshed from the server, which is what proves the mutation landed. */
async function addLocation(paperTitle, location) {
  const paper = locationsPaper(paperTitle);
  await paper.locator("button:has(svg)").first().click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor({ timeout: TIMEOUT });
  await field(dialog, "Code").fill(location.code);
  await field(dialog, "Name").fill(location.name);
  await dialog.getByRole("button", { name: "Save" }).click({ timeout: TIMEOUT });
  await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
  await refreshedUntilListed(paperTitle, location);
}

function locationRow(paperTitle, location) {
  return locationsPaper(paperTitle).getByText(`${location.code} - ${location.name}`, { exact: true });
}

/** A row the server listed: unlike the page's locked placeholder, it has its Delete action. */
function listedLocationRow(paperTitle, location) {
  return locationsPaper(paperTitle)
    .locator(".MuiListItem-container", { hasText: `${location.code} - ${location.name}` })
    .locator("button")
    .first();
}

/** Refreshes the paper until the server lists `location` (a queued mutation may take a moment). */
async function refreshedUntilListed(paperTitle, location) {
  for (let attempt = 1; ; attempt++) {
    await locationsPaper(paperTitle).getByRole("button", { name: /refresh/i }).click();
    await settle();
    try {
      await listedLocationRow(paperTitle, location).waitFor({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt === 5) throw new Error(`${paperTitle} does not list ${location.code} - ${location.name} after ${attempt} refreshes`);
    }
  }
}

async function login(username, password) {
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

// ---------------------------------------------------------------------------------------------

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
watch(page);

await step("login-page", [], async () => {
  await page.goto(`${BASE}/`);
  await page.waitForURL(/\/front\/login/, { timeout: TIMEOUT });
  await field(page, "Username").waitFor();
});

await step("admin-home", ["login-page"], async () => {
  await login("Admin", "admin123");
  await adminMenuButton().waitFor();
});

await step("locations-page", ["admin-home"], async () => {
  await openAdminMenu("Locations");
  await page.waitForURL(/\/front\/location\/locations/);
  await locationsPaper("Regions").waitFor();
});

await step("create-region", ["locations-page"], async () => {
  await addLocation("Regions", REGION);
});

await step("create-district", ["create-region"], async () => {
  await locationRow("Regions", REGION).click({ position: { x: 3, y: 3 } });
  await settle();
  // The districts paper now lists the new region's districts: none yet.
  await locationsPaper("Districts").locator(".MuiListItem-container").first().waitFor({ state: "detached" });
  await addLocation("Districts", DISTRICT);
});

await step("locations-listed", ["create-district"], async () => {
  // A fresh page: the district is listed under its region, from the server.
  await page.reload();
  await listedLocationRow("Regions", REGION).waitFor();
  await locationRow("Regions", REGION).click({ position: { x: 3, y: 3 } });
  await settle();
  await listedLocationRow("Districts", DISTRICT).waitFor();
});

await step("users-page", ["admin-home"], async () => {
  await openAdminMenu("Users");
  await page.waitForURL(/\/front\/admin\/users/);
  await page.getByText(/user\(s\) found/).waitFor();
});

await step("create-user", ["users-page", "locations-listed"], async () => {
  await page.locator("button.MuiFab-root").first().click();
  await page.waitForURL(/\/front\/admin\/users\/new/);
  // The form resets itself once its pickers and policies are loaded: fill it after that.
  await settle();
  await fillValidated("User name", USER.username, "validateUsername");
  await fillValidated("Email", USER.email, "validateUserEmail");
  await field(page, "Given names").fill(USER.otherNames);
  await field(page, "Last name").fill(USER.lastName);
  await pickAutocomplete(page, "User role(s)", USER.role);
  await pickAutocomplete(page, "Districts", DISTRICT.name);
  await pickSelect(page, "Interface Language", "English");
  await field(page, "New Password").fill(USER.password);
  await field(page, "Confirm Password").fill(USER.password);
  const created = page.waitForResponse((response) => (response.request().postData() ?? "").includes("createUser"));
  await page.locator("button.MuiFab-root").last().click();
  await created;
  await settle();
  // Found by the users page's search, from the server.
  await gotoAdminPage("Users", /\/front\/admin\/users\/?(\?.*)?$/);
  await field(page, "User name").fill(USER.username);
  await page.getByText(USER.lastName).first().waitFor();
});

await step("logout", ["admin-home"], async () => {
  await logoutButton().click();
  await page.waitForURL(/\/front\/login/);
});

await step("login-as-new-user", ["create-user", "logout"], async () => {
  await login(USER.username, USER.password);
});

await browser.close();

// ---------------------------------------------------------------------------------------------

const failed = results.filter((r) => r.outcome !== "passed");
console.log("\nsummary");
for (const [i, r] of results.entries()) {
  console.log(`  ${String(i + 1).padStart(2, "0")} ${r.name.padEnd(20)} ${r.outcome}${r.failure ? `: ${r.failure}` : ""}${r.reason ? ` (${r.reason})` : ""}`);
  for (const p of r.problems ?? []) console.log(`       ${p.kind}: ${p.detail}`);
}
writeFileSync(join(ARTIFACTS, "results.json"), JSON.stringify({ results, problems }, null, 2));
console.log(`\nscreenshots and results.json in ${ARTIFACTS}`);
process.exit(failed.length ? 1 : 0);
