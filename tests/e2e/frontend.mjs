// The real openIMIS frontend (published @openimis/fe-* packages, served by this server at
// /front/) in headless Chromium: log in as Admin, home page, locations (a region and a district
// under it), users (a new user with a role), log out, log in as the new user.
//
// Steps, screenshots and failures as harness.mjs describes. Run by `cargo xtask e2e` (which
// starts the server); env: E2E_BASE_URL, E2E_ARTIFACTS, CHROMIUM_PATH.

import {
  RUN,
  field,
  fillValidated,
  finish,
  gotoAdminPage,
  login,
  loginAsAdmin,
  logoutButton,
  open,
  openAdminMenu,
  page,
  pickAutocomplete,
  pickSelect,
  settle,
  step,
  TIMEOUT,
} from "./harness.mjs";

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

// ---------------------------------------------------------------------------------------------
// The locations page: one paper per location level.

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

// ---------------------------------------------------------------------------------------------

await open("frontend");
await loginAsAdmin();

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

await finish();
